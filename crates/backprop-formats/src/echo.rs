//! A user's text, repeated safely in a message.

/// `text` without control characters, cut after `limit` characters.
pub(crate) fn echo(text: &str, limit: usize) -> String {
    let mut shown: String = text
        .chars()
        .filter(|c| !c.is_control())
        .take(limit)
        .collect();
    if text.chars().count() > limit {
        shown.push('…');
    }
    shown
}
