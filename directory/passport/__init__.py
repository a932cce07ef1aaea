"""Battery-passport data on products (issue 19): versions, evidence, the directory's
passport thresholds and the export following the BatteryPass data model."""
