//! The health declaration as data: fields, the question catalogue, validation,
//! triage, and the report form (phản ánh). Pure logic: no I/O, no GUI.

pub mod catalogue;
pub mod country;
pub mod id_number;
pub mod model;
mod places;
pub mod report;
pub mod triage;
pub mod validate;

pub use catalogue::{Condition, Contact, Section, Symptom, field};
pub use model::{
    Address, Checklist, Declarant, Declaration, Document, DocumentKind, Gender, Identity,
    Provenance, Record, SourceKind, Travel, Vaccination,
};
pub use triage::{Triage, TriageRules, triage};
pub use validate::{Problem, validate};
