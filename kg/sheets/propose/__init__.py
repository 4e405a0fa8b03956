"""The extraction assistant behind ``cbec-kg propose``: candidate statistics from a plain text.

It reads only the text and the graph's names (labels and aliases of the sheets' non-statistic blocks, the units
of ``facts/units.yaml`` and the document's places in ``facts/report.yaml``); it never reads curated statistics.
Modules, by grammar: :mod:`numerals`, :mod:`units` (unit words), :mod:`quantities` (a number with its
unit, ranges), :mod:`periods` (time expressions), :mod:`qualifiers` (近, 超过, 约, 预计 …), :mod:`skip` (names,
footnote markers, list and page numbers), :mod:`tables` (rows and columns), :mod:`entities` (names in a
sentence), :mod:`document` (what the sheets give: names, places, the document's date), :mod:`candidate` (a
candidate as a sheet block), :mod:`core` (the pipeline), :mod:`writer` (YAML/JSON, ``--merge``) and :mod:`run`
(the command).
"""
