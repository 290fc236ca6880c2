"""The one workflow mechanism: every record that moves through states (a work item, a case, an application…)
declares its states and transitions as a `Workflow` table (core.py, plain Python) and changes state only through
`workflow_step` (services.py), which locks the row, checks the transition, applies it and writes the audit row."""
