"""The registry core: records people and dogs report, and the rules they obey (no Django).

- :mod:`~offlabel.registry.vocabulary` — one enumeration per concept (sex, genotype, dose unit,
  scale, milestone) and the efficacy order;
- :mod:`~offlabel.registry.records` — typed rows and the ``RegistryBundle`` that holds them;
- :mod:`~offlabel.registry.scales` — progression scales and milestones, defined as data in
  ``definitions/`` (with :mod:`~offlabel.registry.doses`, the plausible dose ranges);
- :mod:`~offlabel.registry.validation` — every rule, for forms and files alike;
- :mod:`~offlabel.registry.layout`, :mod:`~offlabel.registry.csv_read`,
  :mod:`~offlabel.registry.csv_write` — the bulk CSV layout (``CSV_LAYOUT.md``);
- :mod:`~offlabel.registry.deidentify` — the one de-identification scheme;
- :mod:`~offlabel.registry.tables` — records from typed tables (simulations, tests);
- :mod:`~offlabel.registry.frames` — the typed frames the analyses read, built from validated
  records only.
"""
