//! Saving a trained [`IntentionModel`] to a safetensors file and reading it back, refusing a
//! file made for another data set.

use super::IntentionModel;
use candle_core::{Device, Tensor};
use std::collections::HashMap;
use std::path::Path;

/// The layout version written into every model file.
const VERSION: f64 = 1.0;

/// Why a model file could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum ModelFileError {
    /// Writing or reading failed, or the file is not a model file.
    #[error("{path}: {reason}")]
    File {
        /// The file.
        path: String,
        /// What went wrong.
        reason: String,
    },
    /// The file holds a model of another data set.
    #[error("{path}: the model was trained on {users} users and {places} places; this data set has {expected_users} and {expected_places}")]
    OtherData {
        /// The file.
        path: String,
        /// Users in the model.
        users: usize,
        /// Places in the model.
        places: usize,
        /// Users in the data set.
        expected_users: usize,
        /// Places in the data set.
        expected_places: usize,
    },
}

impl IntentionModel {
    /// Writes the model to `path`.
    pub fn save(&self, path: &Path) -> Result<(), ModelFileError> {
        let bad =
            |e: candle_core::Error| ModelFileError::File { path: path.display().to_string(), reason: e.to_string() };
        let (users, places) = (self.users.len() / self.dim, self.bias.len());
        let meta = vec![VERSION, users as f64, places as f64, self.dim as f64, self.intentions as f64];
        let mut tensors: HashMap<String, Tensor> = HashMap::new();
        let mut put = |name: &str, values: Vec<f32>| -> candle_core::Result<()> {
            let n = values.len();
            tensors.insert(name.into(), Tensor::from_vec(values, n, &Device::Cpu)?);
            Ok(())
        };
        put("users", self.users.clone()).map_err(bad)?;
        put("places", self.places.clone()).map_err(bad)?;
        put("bias", self.bias.clone()).map_err(bad)?;
        put("mixtures", self.mixtures.clone()).map_err(bad)?;
        put("topics", self.topics.clone()).map_err(bad)?;
        put("losses", self.losses.iter().map(|&l| l as f32).collect()).map_err(bad)?;
        tensors.insert("meta".into(), Tensor::from_vec(meta, 5, &Device::Cpu).map_err(bad)?);
        candle_core::safetensors::save(&tensors, path).map_err(bad)
    }

    /// Reads a model [`IntentionModel::save`] wrote, for a data set of `users` users and
    /// `places` places.
    pub fn load(path: &Path, users: usize, places: usize) -> Result<Self, ModelFileError> {
        let name = path.display().to_string();
        let bad = |reason: String| ModelFileError::File { path: name.clone(), reason };
        let mut tensors = candle_core::safetensors::load(path, &Device::Cpu).map_err(|e| bad(e.to_string()))?;
        let meta = tensors
            .remove("meta")
            .ok_or_else(|| bad("not a model file (no meta)".into()))?
            .to_vec1::<f64>()
            .map_err(|e| bad(format!("meta: {e}")))?;
        let [version, u, p, d, k] = meta[..] else { return Err(bad("meta has the wrong length".into())) };
        if version != VERSION {
            return Err(bad(format!("model file version {version}, this build reads {VERSION}")));
        }
        let size = |v: f64| ((0.0..=1e9).contains(&v) && v.fract() == 0.0).then_some(v as usize);
        let (Some(u), Some(p), Some(d @ 1..), Some(k @ 1..)) = (size(u), size(p), size(d), size(k)) else {
            return Err(bad("meta holds no valid sizes".into()));
        };
        if (u, p) != (users, places) {
            return Err(ModelFileError::OtherData {
                path: name,
                users: u,
                places: p,
                expected_users: users,
                expected_places: places,
            });
        }
        let mut take = |key: &str, len: usize| -> Result<Vec<f32>, ModelFileError> {
            let values = tensors
                .remove(key)
                .ok_or_else(|| bad(format!("no tensor {key:?}")))?
                .to_vec1::<f32>()
                .map_err(|e| bad(format!("{key}: {e}")))?;
            if values.len() != len {
                return Err(bad(format!("{key} holds {} values, not {len}", values.len())));
            }
            Ok(values)
        };
        let model = IntentionModel {
            dim: d,
            users: take("users", u * d)?,
            places: take("places", p * d)?,
            bias: take("bias", p)?,
            mixtures: take("mixtures", u * k)?,
            topics: take("topics", k * p)?,
            intentions: k,
            losses: Vec::new(),
        };
        let losses = tensors.remove("losses").and_then(|t| t.to_vec1::<f32>().ok()).unwrap_or_default();
        Ok(IntentionModel { losses: losses.into_iter().map(f64::from).collect(), ..model })
    }
}
