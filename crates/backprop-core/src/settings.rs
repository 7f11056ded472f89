//! The one validator for settings that arrive as text: the page's URL hash, an embedded
//! element's attributes, and query strings of the iframe route. Each value is checked against
//! a strict grammar and range; a bad value falls back to its default with a notice saying why,
//! so a stranger's link can never produce an invalid network or inject anything.
//!
//! Format: `key=value` pairs joined by `&`, values percent-encoded, e.g.
//! `hidden=32,16&activation=relu&lr=0.1&batch=32&seed=7&steps=500`.
//!
//! Its functions are `#[inline]` so that they are compiled in the calling crate, i.e. for size
//! in the wasm build (see the root Cargo.toml).

mod json_form;

use crate::activation::Activation;
use crate::config::{Init, NetworkConfig, OptimizerKind, TrainingConfig};
use crate::loss::Loss;

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
}

impl View {
    pub const ALL: [View; 5] = [
        View::Full,
        View::Draw,
        View::Network,
        View::Backprop,
        View::Train,
    ];

    pub fn name(self) -> &'static str {
        match self {
            View::Full => "full",
            View::Draw => "draw",
            View::Network => "network",
            View::Backprop => "backprop",
            View::Train => "train",
        }
    }
}

/// Everything a link or an element can set. Its JSON form (`Settings::read`, `write`) has
/// these fields in camelCase.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub network: NetworkConfig,
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub key: String,
    pub message: String,
}

/// Reads `key=value&…` text over `defaults`. Returns the settings and a notice for every
/// value that was ignored.
#[inline]
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
#[inline]
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
        n.init.map_or("auto", Init::name).into(),
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

#[inline]
fn notice(key: &str, message: String) -> Notice {
    Notice {
        key: echo(key),
        message,
    }
}

/// A rejected value, shortened, for a notice.
#[inline]
fn echo(value: &str) -> String {
    crate::error::echo(value, ECHO_LIMIT)
}

type Applied = Result<(), String>;

#[inline]
fn apply(s: &mut Settings, key: &str, value: &str) -> Applied {
    let n = &mut s.network;
    let t = &mut s.training;
    match key {
        "hidden" => n.hidden = parse_widths(value)?,
        "activation" => n.activation = choose(value, &Activation::ALL.map(|a| (a.name(), a)))?,
        "loss" => n.loss = choose(value, &Loss::ALL.map(|l| (l.name(), l)))?,
        "init" => {
            n.init = choose(
                value,
                &[
                    ("auto", None),
                    ("xavier", Some(Init::Xavier)),
                    ("he", Some(Init::He)),
                ],
            )?
        }
        "seed" => n.seed = integer(value, 0, u32::MAX as u64)?,
        "optimizer" => t.optimizer = choose(value, &OptimizerKind::ALL.map(|o| (o.name(), o)))?,
        "lr" => t.learning_rate = number(value, |x| x > 0.0 && x <= 10.0, "(0, 10]")?,
        "batch" => t.batch_size = integer(value, 1, crate::config::MAX_BATCH_SIZE as u64)? as usize,
        "l2" => t.l2 = number(value, |x| (0.0..=1.0).contains(&x), "[0, 1]")?,
        "momentum" => t.momentum = number(value, |x| (0.0..1.0).contains(&x), "[0, 1)")?,
        "steps" => s.steps = integer(value, 0, MAX_REPLAY_STEPS as u64)? as u32,
        "digit" => s.digit = Some(integer(value, 0, u32::MAX as u64)? as u32),
        "label" => s.label = Some(integer(value, 0, 9)? as u8),
        "step" => s.backprop_step = Some(integer(value, 1, 12)? as u8),
        "view" => s.view = choose(value, &View::ALL.map(|v| (v.name(), v)))?,
        "model" => s.model = Some(model_url(value)?),
        "controls" => s.hide_controls = choose(value, &[("shown", false), ("hidden", true)])?,
        _ => return Err("is not a known setting; ignored".into()),
    }
    Ok(())
}

#[inline]
fn invalid(value: &str, expected: &str) -> String {
    format!("\"{}\" is not {expected}; the default is used", echo(value))
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

#[inline]
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

fn number(value: &str, valid: impl Fn(f32) -> bool, range: &str) -> Result<f32, String> {
    crate::decimal::parse_f32(value)
        .filter(|v| v.is_finite() && valid(*v))
        .ok_or_else(|| invalid(value, &format!("a number in {range}")))
}

#[inline]
fn parse_widths(value: &str) -> Result<Vec<usize>, String> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    let max = crate::config::MAX_LAYER_WIDTH as u64;
    let widths: Vec<usize> = value
        .split(',')
        .map(|w| integer(w, 1, max).map(|w| w as usize))
        .collect::<Result<_, _>>()
        .map_err(|_| invalid(value, &format!("a list of layer widths from 1 to {max}")))?;
    if widths.len() > crate::config::MAX_HIDDEN_LAYERS {
        return Err(invalid(
            value,
            &format!("at most {} layers", crate::config::MAX_HIDDEN_LAYERS),
        ));
    }
    Ok(widths)
}

/// A relative path (no scheme, no `//` host) or an http(s) URL, of printable ASCII.
#[inline]
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
#[inline]
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
#[inline]
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
