//! The tests read codes with zxing-cpp: see build-support/link_cxx_on_mingw.rs
//! (Windows builds only).
include!("../../build-support/link_cxx_on_mingw.rs");

fn main() {
    println!("cargo:rerun-if-changed=../../build-support/link_cxx_on_mingw.rs");
    link_cxx_on_mingw();
}
