//! Settings as JSON, the shape JavaScript gets from `parseSettings` and gives back:
//! `{ network, training, steps, digit, label, backpropStep, view, model, hideControls }`, with
//! `null` for an unset optional value. `#[inline]`: as in `settings`.

use super::{Notice, Settings, View};
use crate::config::{NetworkConfig, TrainingConfig};
use crate::json::{Read, Reader, Writer};

const FIELDS: [&str; 9] = [
    "network",
    "training",
    "steps",
    "digit",
    "label",
    "backpropStep",
    "view",
    "model",
    "hideControls",
];

impl Settings {
    /// Reads settings in their JSON form; missing fields keep their defaults. Values are
    /// checked for their type and range here; the network and training as a whole are checked
    /// where they are used.
    #[inline]
    pub fn read(r: &mut Reader) -> Read<Settings> {
        let mut s = Settings::default();
        r.object(|r, key| {
            match key {
                "network" => s.network = NetworkConfig::read(r)?,
                "training" => s.training = TrainingConfig::read(r)?,
                "steps" => s.steps = r.integer(u32::MAX.into())? as u32,
                "digit" => {
                    s.digit = r
                        .optional(|r| r.integer(u32::MAX.into()))?
                        .map(|d| d as u32)
                }
                "label" => s.label = r.optional(|r| r.integer(u8::MAX.into()))?.map(|l| l as u8),
                "backpropStep" => {
                    s.backprop_step = r.optional(|r| r.integer(u8::MAX.into()))?.map(|b| b as u8)
                }
                "view" => s.view = r.choice(&View::ALL.map(|v| (v.name(), v)))?,
                "model" => s.model = r.optional(Reader::string)?,
                "hideControls" => s.hide_controls = r.boolean()?,
                _ => return Err(r.unknown(&FIELDS)),
            }
            Ok(())
        })?;
        Ok(s)
    }

    pub fn write(&self, w: &mut Writer) {
        w.object(|w| {
            w.key("network");
            self.network.write(w);
            w.key("training");
            self.training.write(w);
            w.key("steps").integer(self.steps.into());
            w.key("digit").optional_integer(self.digit.map(u64::from));
            w.key("label").optional_integer(self.label.map(u64::from));
            w.key("backpropStep")
                .optional_integer(self.backprop_step.map(u64::from));
            w.key("view").string(self.view.name());
            w.key("model").optional_string(self.model.as_deref());
            w.key("hideControls").boolean(self.hide_controls);
        });
    }
}

impl Notice {
    /// Notices as a JSON array of `{ key, message }`.
    pub fn write_all(notices: &[Notice], w: &mut Writer) {
        w.array(|w| {
            for notice in notices {
                w.object(|w| {
                    w.key("key").string(&notice.key);
                    w.key("message").string(&notice.message);
                });
            }
        });
    }
}
