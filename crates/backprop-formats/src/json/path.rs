//! The path of the value a serde_json error is about (`layers[1].weights[3]`), found once the
//! read has failed: the document is read again, as any JSON, up to where serde_json stopped,
//! and the path is where that second read stands. Tracking the path during every read
//! (serde_path_to_error wraps each type's deserializer) cost 11 KB of the gzipped wasm; this is
//! one visitor, and a read that succeeds pays nothing.

use std::cell::RefCell;
use std::fmt::{self, Write};

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::error::Category;

/// The path named by `error`, raised while reading `text`, whose message without the line and
/// column is `message`; empty for the document itself.
pub(super) fn path_at(text: &str, error: &serde_json::Error, message: &str) -> String {
    if error.line() == 0 {
        return String::new();
    }
    // The text up to where serde_json stopped, then a character no JSON may hold there, so
    // that the second read stops at the same place: inside a value begun there, or right
    // after what ended there.
    let mut prefix = text[..offset(text, error.line(), error.column())].to_owned();
    prefix.push('\u{1}');
    let trail = RefCell::new(Trail::default());
    let read = (Entry {
        trail: &trail,
        segment: None,
    })
    .deserialize(&mut serde_json::Deserializer::from_str(&prefix));
    let Trail { mut open, ended } = trail.into_inner();
    // An error of a value's own, its type or a field missing from it, is placed right after
    // it. Right after a key come both the key's own errors (an unknown field) and those of the
    // object around it (a field given twice); only the message tells them apart.
    if read.is_err() && error.classify() == Category::Data {
        match ended {
            Some(Ended::Key(key)) if message.starts_with("unknown field") => {
                open.push(Segment::Key(key))
            }
            Some(Ended::Value(segment)) => open.push(segment),
            _ => {}
        }
    }
    let mut path = String::new();
    for segment in open {
        match segment {
            Segment::Key(key) if path.is_empty() => path.push_str(&key),
            Segment::Key(key) => write!(path, ".{key}").expect("a String takes any text"),
            Segment::Index(index) => write!(path, "[{index}]").expect("a String takes any text"),
        }
    }
    path
}

/// The byte offset of a line and column as serde_json counts them (columns in bytes), moved
/// back to the start of a character if it fell inside one.
pub(super) fn offset(text: &str, line: usize, column: usize) -> usize {
    let line_start = match line {
        1 => 0,
        line => text
            .match_indices('\n')
            .nth(line - 2)
            .map_or(text.len(), |(newline, _)| newline + 1),
    };
    let mut cut = (line_start + column).min(text.len());
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    cut
}

enum Segment {
    Key(String),
    Index(usize),
}

/// What the second read ended last, if nothing has begun since.
enum Ended {
    Key(String),
    Value(Segment),
}

#[derive(Default)]
struct Trail {
    /// The keys and indices of the values being read, outermost first.
    open: Vec<Segment>,
    ended: Option<Ended>,
}

/// One value of any kind, at `segment` within the one around it (`None`: the document).
struct Entry<'t> {
    trail: &'t RefCell<Trail>,
    segment: Option<Segment>,
}

impl<'de> DeserializeSeed<'de> for Entry<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        let Entry { trail, segment } = self;
        let inside = segment.is_some();
        {
            let mut trail = trail.borrow_mut();
            trail.ended = None;
            trail.open.extend(segment);
        }
        deserializer.deserialize_any(Any { trail })?;
        if inside {
            let mut trail = trail.borrow_mut();
            trail.ended = trail.open.pop().map(Ended::Value);
        }
        Ok(())
    }
}

struct Any<'t> {
    trail: &'t RefCell<Trail>,
}

impl<'de> Visitor<'de> for Any<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        let mut index = 0;
        while items
            .next_element_seed(Entry {
                trail: self.trail,
                segment: Some(Segment::Index(index)),
            })?
            .is_some()
        {
            index += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut entries: A) -> Result<(), A::Error> {
        while let Some(key) = entries.next_key::<String>()? {
            self.trail.borrow_mut().ended = Some(Ended::Key(key.clone()));
            entries.next_value_seed(Entry {
                trail: self.trail,
                segment: Some(Segment::Key(key)),
            })?;
        }
        Ok(())
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}
