"""Reads of the support programmes that carry rules: who sees what, eligibility, money figures.

The modules, by concern: access, eligibility, money, public, workbench, milestones. Import
each name from its module.
"""
