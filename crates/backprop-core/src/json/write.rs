//! The writer: compact JSON (no spaces), commas placed by the writer itself.

use std::fmt::Write as _;

use super::Json;

#[derive(Default)]
pub struct Writer {
    out: String,
    /// True after a value, where the next key or array element needs a comma first.
    comma: bool,
}

impl Writer {
    pub fn new() -> Writer {
        Writer::default()
    }

    pub fn finish(self) -> String {
        self.out
    }

    /// An object whose fields `fields` writes with [`Writer::key`] and a value each.
    pub fn object(&mut self, fields: impl FnOnce(&mut Self)) -> &mut Self {
        self.enclose('{', '}', fields)
    }

    /// An array whose elements `items` writes.
    pub fn array(&mut self, items: impl FnOnce(&mut Self)) -> &mut Self {
        self.enclose('[', ']', items)
    }

    /// The key of the next field; its value follows.
    pub fn key(&mut self, key: &str) -> &mut Self {
        self.before_value();
        write_string(key, &mut self.out);
        self.out.push(':');
        self.comma = false;
        self
    }

    pub fn string(&mut self, text: &str) -> &mut Self {
        self.before_value();
        write_string(text, &mut self.out);
        self
    }

    /// A finite `f32` in the fewest digits that read back to it; NaN and infinity as `null`,
    /// as `JSON.stringify` writes them.
    pub fn f32(&mut self, value: f32) -> &mut Self {
        self.before_value();
        write_f32(value, &mut self.out);
        self
    }

    pub fn f32s(&mut self, values: &[f32]) -> &mut Self {
        self.array(|w| {
            for &value in values {
                w.f32(value);
            }
        })
    }

    pub fn integer(&mut self, value: u64) -> &mut Self {
        self.before_value();
        let _ = write!(self.out, "{value}");
        self
    }

    pub fn boolean(&mut self, value: bool) -> &mut Self {
        self.raw(if value { "true" } else { "false" })
    }

    pub fn null(&mut self) -> &mut Self {
        self.raw("null")
    }

    /// A string, or `null` for None.
    pub fn optional_string(&mut self, text: Option<&str>) -> &mut Self {
        match text {
            Some(text) => self.string(text),
            None => self.null(),
        }
    }

    /// A whole number, or `null` for None.
    pub fn optional_integer(&mut self, value: Option<u64>) -> &mut Self {
        match value {
            Some(value) => self.integer(value),
            None => self.null(),
        }
    }

    pub fn value(&mut self, value: &Json) -> &mut Self {
        match value {
            Json::Null => self.null(),
            Json::Bool(b) => self.boolean(*b),
            Json::Number(text) => self.raw(text),
            Json::String(text) => self.string(text),
            Json::Array(items) => self.array(|w| {
                for item in items {
                    w.value(item);
                }
            }),
            Json::Object(fields) => self.fields(fields),
        }
    }

    /// An object with these fields, in order.
    pub fn fields(&mut self, fields: &[(String, Json)]) -> &mut Self {
        self.object(|w| {
            for (key, value) in fields {
                w.key(key).value(value);
            }
        })
    }

    fn raw(&mut self, text: &str) -> &mut Self {
        self.before_value();
        self.out.push_str(text);
        self
    }

    fn enclose(&mut self, open: char, close: char, inside: impl FnOnce(&mut Self)) -> &mut Self {
        self.before_value();
        self.out.push(open);
        self.comma = false;
        inside(self);
        self.out.push(close);
        self.comma = true;
        self
    }

    fn before_value(&mut self) {
        if self.comma {
            self.out.push(',');
        }
        self.comma = true;
    }
}

/// Writes a finite `f32` in the fewest digits that read back to it: plainly from 0.0001 to a
/// billion (`0.25`, `3`), with an exponent outside (`1.5e-7`, `3.4028235e38`) so that no number
/// takes more than 15 characters. NaN and infinity, which JSON cannot hold, become `null`.
pub fn write_f32(value: f32, out: &mut String) {
    let _ = if !value.is_finite() {
        write!(out, "null")
    } else if value == 0.0 || (1e-4..1e9).contains(&value.abs()) {
        write!(out, "{value}")
    } else {
        write!(out, "{value:e}")
    };
}

/// A string literal: quotes, backslashes and control characters escaped.
fn write_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}
