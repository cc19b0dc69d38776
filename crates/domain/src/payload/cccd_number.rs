//! The 12-digit citizen number: PPP G YY NNNNNN (province of birth
//! registration, century and gender, two-digit birth year, serial).

use serde::Serialize;

use super::Gender;

/// The province codes of the number (Circular 07/2016/TT-BCA: the 63 provinces
/// as they were; the numbers do not change when provinces merge).
const PROVINCES: [(u16, &str); 63] = [
    (1, "Hà Nội"),
    (2, "Hà Giang"),
    (4, "Cao Bằng"),
    (6, "Bắc Kạn"),
    (8, "Tuyên Quang"),
    (10, "Lào Cai"),
    (11, "Điện Biên"),
    (12, "Lai Châu"),
    (14, "Sơn La"),
    (15, "Yên Bái"),
    (17, "Hòa Bình"),
    (19, "Thái Nguyên"),
    (20, "Lạng Sơn"),
    (22, "Quảng Ninh"),
    (24, "Bắc Giang"),
    (25, "Phú Thọ"),
    (26, "Vĩnh Phúc"),
    (27, "Bắc Ninh"),
    (30, "Hải Dương"),
    (31, "Hải Phòng"),
    (33, "Hưng Yên"),
    (34, "Thái Bình"),
    (35, "Hà Nam"),
    (36, "Nam Định"),
    (37, "Ninh Bình"),
    (38, "Thanh Hóa"),
    (40, "Nghệ An"),
    (42, "Hà Tĩnh"),
    (44, "Quảng Bình"),
    (45, "Quảng Trị"),
    (46, "Thừa Thiên Huế"),
    (48, "Đà Nẵng"),
    (49, "Quảng Nam"),
    (51, "Quảng Ngãi"),
    (52, "Bình Định"),
    (54, "Phú Yên"),
    (56, "Khánh Hòa"),
    (58, "Ninh Thuận"),
    (60, "Bình Thuận"),
    (62, "Kon Tum"),
    (64, "Gia Lai"),
    (66, "Đắk Lắk"),
    (67, "Đắk Nông"),
    (68, "Lâm Đồng"),
    (70, "Bình Phước"),
    (72, "Tây Ninh"),
    (74, "Bình Dương"),
    (75, "Đồng Nai"),
    (77, "Bà Rịa - Vũng Tàu"),
    (79, "Hồ Chí Minh"),
    (80, "Long An"),
    (82, "Tiền Giang"),
    (83, "Bến Tre"),
    (84, "Trà Vinh"),
    (86, "Vĩnh Long"),
    (87, "Đồng Tháp"),
    (89, "An Giang"),
    (91, "Kiên Giang"),
    (92, "Cần Thơ"),
    (93, "Hậu Giang"),
    (94, "Sóc Trăng"),
    (95, "Bạc Liêu"),
    (96, "Cà Mau"),
];

/// What the digits of a 12-digit number say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NumberInfo {
    /// The first three digits.
    pub province_code: String,
    /// The (pre-2025) province of that code, when the code exists.
    pub province_name: Option<&'static str>,
    /// Gender given by the fourth digit.
    pub gender: Gender,
    /// Birth year given by the fourth to sixth digits.
    pub birth_year: i32,
}

/// Reads a number that is exactly 12 ASCII digits; `None` otherwise.
pub fn read(number: &str) -> Option<NumberInfo> {
    let bytes = number.as_bytes();
    if bytes.len() != 12 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let digit = |i: usize| i32::from(bytes[i] - b'0');
    let province = digit(0) * 100 + digit(1) * 10 + digit(2);
    let century_gender = digit(3);
    // 0/1: 1900s, 2/3: 2000s, 4/5: 2100s, 6/7: 2200s, 8/9: 1800s; even = male.
    let century = match century_gender / 2 {
        0 => 1900,
        1 => 2000,
        2 => 2100,
        3 => 2200,
        _ => 1800,
    };
    let gender = if century_gender % 2 == 0 {
        Gender::Male
    } else {
        Gender::Female
    };
    let province_name = PROVINCES
        .iter()
        .find(|(code, _)| i32::from(*code) == province)
        .map(|(_, name)| *name);
    Some(NumberInfo {
        province_code: number[..3].to_owned(),
        province_name,
        gender,
        birth_year: century + digit(4) * 10 + digit(5),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_province_century_gender_year() {
        let info = read("079304001234").unwrap();
        assert_eq!(info.province_name, Some("Hồ Chí Minh"));
        assert_eq!(info.gender, Gender::Female);
        assert_eq!(info.birth_year, 2004);
        let info = read("038185000111").unwrap();
        assert_eq!((info.gender, info.birth_year), (Gender::Female, 1985));
        assert_eq!(read("003099012345").unwrap().province_name, None);
    }

    #[test]
    fn refuses_other_lengths_and_non_digits() {
        assert!(read("0010990123").is_none());
        assert!(read("00109901234a").is_none());
        assert!(read("００１０９８０１２３４５").is_none());
    }
}
