//! asl-core: the Amazon States Language core of ASL Playground.
//!
//! Data flows one way: text → [`syntax`] (JSON with spans) → [`parse`] (typed [`model`]) → [`validate`]
//! (diagnostics) → [`exec`] (a steppable execution with an AWS-shaped [`history`]). Every front end (the
//! CLI, the JS API, the web app) calls this crate and renders what it returns.
//!
//! The crate reads no clock, randomness or files: time and randomness come from [`env`], task results
//! from [`mock`], so every run is reproducible and the same code runs natively and in wasm.

pub mod choice;
pub mod diag;
pub mod env;
pub mod error;
pub mod exec;
pub mod history;
pub mod intrinsics;
pub mod mock;
pub mod model;
pub mod parse;
pub mod path;
pub mod source;
pub mod syntax;
pub mod template;
pub mod validate;
pub mod value;
