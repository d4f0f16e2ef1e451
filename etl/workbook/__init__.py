"""The PDCA workbook format, both directions.

`contract` says what a generated workbook promises (hidden `_meta`/`_index`/`_records`,
input keys and their defined names, template version, fingerprint); `indicators` what an
indicator's targets mean for its result cells; `snapshot` the records carried in
`_records`; `book` the one xlsxwriter wrapper every workbook is written with; `readback`
(with its direct reader `xlsxparts`) reads a filled workbook back; `carryover` moves
what staff entered into a regenerated workbook. `etl.render` writes the format,
`etl.collect` reads it; neither imports the other.
"""
