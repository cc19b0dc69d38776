//! What makes a checkpoint acceptable: a short id, a name, and where given,
//! a province and a ward of the address data (the ward in that province).

use checkpoint_domain::address;
use checkpoint_i18n::{Message, fl};

use crate::db::Checkpoint;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckpointProblem {
    BadId,
    NoName,
    UnknownProvince(String),
    WardNotInProvince(String),
    BadGroup,
}

impl CheckpointProblem {
    pub fn message(&self) -> Message {
        match self {
            CheckpointProblem::BadId => Message::new(fl!("hub-checkpoint-bad-id")),
            CheckpointProblem::NoName => Message::new(fl!("hub-checkpoint-no-name")),
            CheckpointProblem::UnknownProvince(code) => {
                Message::new(fl!("hub-checkpoint-unknown-province")).arg("code", code)
            }
            CheckpointProblem::WardNotInProvince(code) => {
                Message::new(fl!("hub-checkpoint-ward-not-in-province")).arg("code", code)
            }
            CheckpointProblem::BadGroup => Message::new(fl!("hub-checkpoint-bad-group")),
        }
    }
}

/// Ids are what URLs, exports and kiosk assignments name a checkpoint by.
pub fn check_id(id: &str) -> Result<(), CheckpointProblem> {
    let ok = (1..=40).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    ok.then_some(()).ok_or(CheckpointProblem::BadId)
}

pub fn check(c: &Checkpoint) -> Result<(), CheckpointProblem> {
    check_id(&c.id)?;
    let name = c.name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(CheckpointProblem::NoName);
    }
    // Groups are kept comma-separated on accounts: no comma inside one.
    if c.group.contains(',') || c.group.chars().count() > 80 {
        return Err(CheckpointProblem::BadGroup);
    }
    if !c.province.is_empty() && !address::province_exists(&c.province) {
        return Err(CheckpointProblem::UnknownProvince(c.province.clone()));
    }
    if !c.ward.is_empty() && !address::ward_in_province(&c.ward, &c.province) {
        return Err(CheckpointProblem::WardNotInProvince(c.ward.clone()));
    }
    Ok(())
}

/// The ward a person typed on the console, by code or by name, within a
/// province: the code of the one ward it names. Several close names (or
/// none) are refused, so the admin types more of it.
pub fn ward_code_of(typed: &str, province: &str) -> Result<String, CheckpointProblem> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(String::new());
    }
    if address::ward_in_province(typed, province) {
        return Ok(typed.to_owned());
    }
    let found = address::search_wards(typed, Some(province), 2);
    let lower = typed.to_lowercase();
    let exact = found
        .iter()
        .find(|w| w.name.to_lowercase() == lower || w.short_name.to_lowercase() == lower);
    match (exact, found.as_slice()) {
        (Some(w), _) | (None, [w]) => Ok(w.code.clone()),
        _ => Err(CheckpointProblem::WardNotInProvince(typed.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checkpoint(id: &str, province: &str, ward: &str) -> Checkpoint {
        Checkpoint {
            id: id.into(),
            name: "Cửa khẩu Mộc Bài".into(),
            province: province.into(),
            ward: ward.into(),
            group: "Tây Ninh".into(),
            kiosks: vec![],
        }
    }

    #[test]
    fn a_ward_typed_by_name_or_code() {
        let hanoi = "01";
        let code = ward_code_of("Phường Hoàn Kiếm", hanoi).unwrap();
        assert_eq!(address::ward(&code).unwrap().name, "Phường Hoàn Kiếm");
        assert_eq!(ward_code_of("hoàn kiếm", hanoi).unwrap(), code);
        assert_eq!(ward_code_of(&code, hanoi).unwrap(), code);
        assert_eq!(ward_code_of("  ", hanoi).unwrap(), "");
        // Not in that province, or nothing like it anywhere.
        assert!(ward_code_of("Phường Hoàn Kiếm", "79").is_err());
        assert!(ward_code_of("zzzz qqqq", hanoi).is_err());
    }

    #[test]
    fn ids_names_and_places() {
        let province = &address::provinces()[0];
        let ward = &address::wards_of(&province.code)[0];
        assert_eq!(
            check(&checkpoint("moc-bai-1", &province.code, &ward.code)),
            Ok(())
        );
        assert_eq!(check(&checkpoint("moc-bai-1", "", "")), Ok(()));
        assert_eq!(
            check(&checkpoint("Mộc Bài", "", "")),
            Err(CheckpointProblem::BadId)
        );
        assert_eq!(
            check(&checkpoint("", "", "")),
            Err(CheckpointProblem::BadId)
        );
        assert_eq!(
            check(&checkpoint("a", "99", "")),
            Err(CheckpointProblem::UnknownProvince("99".into()))
        );
        let other = address::provinces()
            .iter()
            .find(|p| p.code != province.code)
            .unwrap();
        assert_eq!(
            check(&checkpoint("a", &other.code, &ward.code)),
            Err(CheckpointProblem::WardNotInProvince(ward.code.clone()))
        );
        let mut c = checkpoint("a", "", "");
        c.group = "a,b".into();
        assert_eq!(check(&c), Err(CheckpointProblem::BadGroup));
    }
}
