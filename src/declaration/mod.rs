//! The health declaration as data: fields, the question catalogue, validation, triage.
