//! The ceremony: announce, draw, verify and amend, with public randomness named in advance.

pub mod beacon;
