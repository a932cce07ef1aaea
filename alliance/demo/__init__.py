"""The demo city's alliance: demonstrations, collaborations, meetings, demands (issue 21)."""
