"""Bills of materials and the local share they compute (issue 19): the pure roll-up
(`rollup`), the verification workflow (`workflow`), the writes (`services`) and the reads
(`selectors`)."""
