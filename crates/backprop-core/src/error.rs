//! One error type for everything a user can get wrong, with a category callers can test.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A network or training setting is out of range or unknown.
    Config,
    /// A model file is malformed, of another version, or does not fit its architecture.
    Model,
    /// A dataset file (IDX) is malformed, truncated or too large.
    Dataset,
    /// An input vector, label or batch does not fit the network.
    Input,
    /// Training produced a NaN or infinite loss or weight.
    Diverged,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
}

impl Error {
    fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
        }
    }
    pub fn config(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config, message)
    }
    pub fn model(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Model, message)
    }
    pub fn dataset(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Dataset, message)
    }
    pub fn input(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Input, message)
    }
    pub fn diverged(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Diverged, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
