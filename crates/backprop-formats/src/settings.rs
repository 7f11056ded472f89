//! The one validator for settings that arrive as text: the page's URL hash, an embedded
//! element's attributes, and query strings of the iframe route. Each value is checked against
//! a strict grammar and range; a bad value falls back to its default with a notice saying why,
//! so a stranger's link can never produce an invalid network or inject anything.
//!
//! Format: `key=value` pairs joined by `&`, values percent-encoded, e.g.
//! `hidden=32,16&activation=relu&lr=0.1&batch=32&seed=7&steps=500`.
//!
//! The settings also cross into JavaScript as an object (serde), the shape `parseSettings`
//! gives: `{ network, training, steps, digit, label, backpropStep, view, model, hideControls }`.

use backprop_core::{
    named, Named, NetworkConfig, TrainingConfig, MAX_BATCH_SIZE, MAX_HIDDEN_LAYERS, MAX_LAYER_WIDTH,
};
use serde::{Deserialize, Serialize};

/// Longest settings text read; anything longer is ignored as a whole.
pub const MAX_SETTINGS_LENGTH: usize = 2048;
/// Most training steps a link may ask to replay.
pub const MAX_REPLAY_STEPS: u32 = 100_000;
/// Longest model URL accepted.
pub const MAX_MODEL_URL_LENGTH: usize = 512;
/// How much of a rejected value a notice repeats.
const ECHO_LIMIT: usize = 24;

/// Which part of the playground an embedded element shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum View {
    Full,
    Draw,
    Network,
    Backprop,
    Train,
    Landscape,
}

named!(View {
    Full = "full",
    Draw = "draw",
    Network = "network",
    Backprop = "backprop",
    Train = "train",
    Landscape = "landscape",
});

/// Everything a link or an element can set. As an object, these fields in camelCase, each
/// optional; `null` for an unset optional value. Values are checked for their type and range
/// when read; the network and training as a whole where they are used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "camelCase")]
pub struct Settings {
    #[serde(deserialize_with = "crate::json::object")]
    pub network: NetworkConfig,
    #[serde(deserialize_with = "crate::json::object")]
    pub training: TrainingConfig,
    /// Training steps taken so far: replaying them from the seed reproduces the run.
    pub steps: u32,
    /// Index of the held-out digit shown.
    pub digit: Option<u32>,
    /// Desired label for the backprop walk-through.
    pub label: Option<u8>,
    /// Backprop player step to show (or lock to, in an element).
    pub backprop_step: Option<u8>,
    pub view: View,
    /// A pretrained model to load: a relative path or an http(s) URL.
    pub model: Option<String>,
    pub hide_controls: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            network: NetworkConfig::default(),
            training: TrainingConfig::default(),
            steps: 0,
            digit: None,
            label: None,
            backprop_step: None,
            view: View::Full,
            model: None,
            hide_controls: false,
        }
    }
}

/// Why one setting was not used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Notice {
    pub key: String,
    pub message: String,
}

/// Reads `key=value&…` text over `defaults`. Returns the settings and a notice for every
/// value that was ignored.
pub fn parse_settings(text: &str, defaults: &Settings) -> (Settings, Vec<Notice>) {
    let mut settings = defaults.clone();
    let mut notices = Vec::new();
    let text = text.trim_start_matches(['#', '?']);
    if text.len() > MAX_SETTINGS_LENGTH {
        notices.push(Notice {
            key: String::new(),
            message: format!(
                "the settings are longer than {MAX_SETTINGS_LENGTH} characters; all were ignored"
            ),
        });
        return (settings, notices);
    }
    for pair in text.split('&').filter(|p| !p.is_empty()) {
        let (raw_key, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let (key, value) = match (percent_decode(raw_key), percent_decode(raw_value)) {
            (Some(k), Some(v)) => (k, v),
            _ => {
                notices.push(notice(
                    raw_key,
                    "is not correctly percent-encoded; ignored".into(),
                ));
                continue;
            }
        };
        if let Err(message) = apply(&mut settings, &key, &value) {
            notices.push(notice(&key, message));
        }
    }
    if let Err(e) = settings.network.validate() {
        notices.push(notice(
            "hidden",
            format!("{}; the default layers are used", e.message),
        ));
        settings.network.hidden = defaults.network.hidden.clone();
    }
    (settings, notices)
}

/// The settings as `key=value&…` text, listing only what differs from `defaults`.
pub fn format_settings(settings: &Settings, defaults: &Settings) -> String {
    let (n, t, dn, dt) = (
        &settings.network,
        &settings.training,
        &defaults.network,
        &defaults.training,
    );
    let mut pairs: Vec<(&str, String)> = Vec::new();
    let mut add = |key, differs: bool, value: String| {
        if differs {
            pairs.push((key, value));
        }
    };
    let widths: Vec<String> = n.hidden.iter().map(|w| w.to_string()).collect();
    add("hidden", n.hidden != dn.hidden, widths.join(","));
    add(
        "activation",
        n.activation != dn.activation,
        n.activation.name().into(),
    );
    add("loss", n.loss != dn.loss, n.loss.name().into());
    add(
        "init",
        n.init != dn.init,
        n.init.map_or("auto", Named::name).into(),
    );
    add("seed", n.seed != dn.seed, n.seed.to_string());
    add(
        "optimizer",
        t.optimizer != dt.optimizer,
        t.optimizer.name().into(),
    );
    add(
        "lr",
        t.learning_rate != dt.learning_rate,
        t.learning_rate.to_string(),
    );
    add(
        "batch",
        t.batch_size != dt.batch_size,
        t.batch_size.to_string(),
    );
    add("l2", t.l2 != dt.l2, t.l2.to_string());
    add(
        "momentum",
        t.momentum != dt.momentum,
        t.momentum.to_string(),
    );
    add(
        "steps",
        settings.steps != defaults.steps,
        settings.steps.to_string(),
    );
    add(
        "digit",
        settings.digit != defaults.digit,
        opt(settings.digit),
    );
    add(
        "label",
        settings.label != defaults.label,
        opt(settings.label),
    );
    add(
        "step",
        settings.backprop_step != defaults.backprop_step,
        opt(settings.backprop_step),
    );
    add(
        "view",
        settings.view != defaults.view,
        settings.view.name().into(),
    );
    add(
        "model",
        settings.model != defaults.model,
        settings.model.clone().unwrap_or_default(),
    );
    add(
        "controls",
        settings.hide_controls != defaults.hide_controls,
        if settings.hide_controls {
            "hidden"
        } else {
            "shown"
        }
        .into(),
    );
    pairs
        .into_iter()
        .map(|(k, v)| format!("{k}={}", percent_encode(&v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn opt<T: ToString>(value: Option<T>) -> String {
    value.map_or(String::new(), |v| v.to_string())
}

fn notice(key: &str, message: String) -> Notice {
    Notice {
        key: echo(key),
        message,
    }
}

/// A rejected value, shortened, for a notice.
fn echo(value: &str) -> String {
    crate::echo::echo(value, ECHO_LIMIT)
}

type Applied = Result<(), String>;

fn apply(s: &mut Settings, key: &str, value: &str) -> Applied {
    let n = &mut s.network;
    let t = &mut s.training;
    match key {
        "hidden" => n.hidden = parse_widths(value)?,
        "activation" => n.activation = variant(value, &[])?,
        "loss" => n.loss = variant(value, &[])?,
        "init" if value == "auto" => n.init = None,
        "init" => n.init = Some(variant(value, &["auto"])?),
        "seed" => n.seed = integer(value, 0, u32::MAX as u64)?,
        "optimizer" => t.optimizer = variant(value, &[])?,
        "lr" => t.learning_rate = number(value, |x| x > 0.0 && x <= 10.0, "(0, 10]")?,
        "batch" => t.batch_size = integer(value, 1, MAX_BATCH_SIZE as u64)? as usize,
        "l2" => t.l2 = number(value, |x| (0.0..=1.0).contains(&x), "[0, 1]")?,
        "momentum" => t.momentum = number(value, |x| (0.0..1.0).contains(&x), "[0, 1)")?,
        "steps" => s.steps = integer(value, 0, MAX_REPLAY_STEPS as u64)? as u32,
        "digit" => s.digit = Some(integer(value, 0, u32::MAX as u64)? as u32),
        "label" => s.label = Some(integer(value, 0, 9)? as u8),
        "step" => s.backprop_step = Some(integer(value, 0, 12)? as u8),
        "view" => s.view = variant(value, &[])?,
        "model" => s.model = Some(model_url(value)?),
        "controls" => s.hide_controls = choose(value, &[("shown", false), ("hidden", true)])?,
        _ => return Err("is not a known setting; ignored".into()),
    }
    Ok(())
}

fn invalid(value: &str, expected: &str) -> String {
    format!("\"{}\" is not {expected}; the default is used", echo(value))
}

/// One of an enum's variants by its name; `others` are names the caller also accepts, for the
/// message.
fn variant<T: Named>(value: &str, others: &[&str]) -> Result<T, String> {
    T::by_name(value).ok_or_else(|| {
        let names: Vec<&str> = others.iter().chain(T::NAMES).copied().collect();
        invalid(value, &format!("one of {}", names.join(", ")))
    })
}

fn choose<T: Copy>(value: &str, options: &[(&str, T)]) -> Result<T, String> {
    options
        .iter()
        .find(|(name, _)| *name == value)
        .map(|&(_, v)| v)
        .ok_or_else(|| {
            let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
            invalid(value, &format!("one of {}", names.join(", ")))
        })
}

fn integer(value: &str, low: u64, high: u64) -> Result<u64, String> {
    let expected = || format!("a whole number from {low} to {high}");
    if value.is_empty() || value.len() > 20 || !value.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(value, &expected()));
    }
    value
        .parse::<u64>()
        .ok()
        .filter(|v| (low..=high).contains(v))
        .ok_or_else(|| invalid(value, &expected()))
}

/// A number as JSON writes numbers, rounded to an f32 by serde_json (already in the wasm,
/// where Rust's own parser would add 15 KB).
fn number(value: &str, valid: impl Fn(f32) -> bool, range: &str) -> Result<f32, String> {
    serde_json::from_str::<f32>(value)
        .ok()
        .filter(|v| v.is_finite() && valid(*v))
        .ok_or_else(|| invalid(value, &format!("a number in {range}")))
}

fn parse_widths(value: &str) -> Result<Vec<usize>, String> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    let max = MAX_LAYER_WIDTH as u64;
    let widths: Vec<usize> = value
        .split(',')
        .map(|w| integer(w, 1, max).map(|w| w as usize))
        .collect::<Result<_, _>>()
        .map_err(|_| invalid(value, &format!("a list of layer widths from 1 to {max}")))?;
    if widths.len() > MAX_HIDDEN_LAYERS {
        return Err(invalid(
            value,
            &format!("at most {MAX_HIDDEN_LAYERS} layers"),
        ));
    }
    Ok(widths)
}

/// A relative path (no scheme, no `//` host) or an http(s) URL, of printable ASCII.
fn model_url(value: &str) -> Result<String, String> {
    let expected = "a relative path or an http(s) URL to a model file";
    let printable =
        value.bytes().all(|b| b.is_ascii_graphic()) && !value.contains(['<', '>', '"', '\'', '\\']);
    let lower = value.to_ascii_lowercase();
    let relative = !lower.contains(':') && !lower.starts_with("//");
    let web = lower.starts_with("https://") || lower.starts_with("http://");
    if value.is_empty() || value.len() > MAX_MODEL_URL_LENGTH || !printable || !(relative || web) {
        return Err(invalid(value, expected));
    }
    Ok(value.to_string())
}

/// Decodes %XX escapes and `+` (a space in query strings); None for a broken escape or
/// bytes that are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = text.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Encodes everything but unreserved characters and the `,` of width lists.
fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~,/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
