//! The graph-neural-network surrogate of the equilibrium: GIN-style message passing over the
//! road network (node inputs: each zone's demand row and totals; edge inputs: capacity,
//! free-flow time, the lane decision and the base equilibrium flow scaled to the demand), link
//! flows out as a correction of that base flow, TSTT from the flows through the links' BPR
//! costs. Trained in pure Rust on CPU (candle) on equilibria the exact solver computes for
//! random lanes at the nominal and at perturbed demand, with a held-out split. Weights start
//! from the seeded generator, so the same seed trains the same model; a trained model saves to
//! and loads from a safetensors file that also records which network and candidates it is for.

use crate::design::Design;
use crate::ga::repair;
use candle_core::{DType, Device, Tensor, Var, D};
use candle_nn::{Linear, Module, Optimizer};
use std::collections::HashMap;
use std::path::Path;
use tripsmith_model::SeededRng;
use tripsmith_traffic::assign::{gradient_projection, AssignError, StopRule, WarmStart};
use tripsmith_traffic::network::Network;

/// Why the surrogate failed.
#[derive(Debug, thiserror::Error)]
pub enum SurrogateError {
    /// The tensor library failed.
    #[error("tensor computation: {0}")]
    Tensor(#[from] candle_core::Error),
    /// An equilibrium could not be computed.
    #[error(transparent)]
    Assign(#[from] AssignError),
    /// A model file that cannot be read, or was trained for another network or candidate set.
    #[error("model file {path}: {reason}")]
    Model {
        /// The file.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// Training was given no samples.
    #[error("no samples to train on")]
    NoSamples,
    /// Asked to stop.
    #[error("stopped")]
    Stopped,
}

/// One training example: demand, lanes, and the exact equilibrium flows.
#[derive(Debug, Clone)]
pub struct Sample {
    /// The demand matrix (zones × zones).
    pub demand: Vec<f64>,
    /// Lane added on each candidate.
    pub chosen: Vec<bool>,
    /// Equilibrium link flows.
    pub flows: Vec<f64>,
    /// Their TSTT.
    pub tstt: f64,
}

fn gaussian(rng: &mut SeededRng) -> f64 {
    let u = rng.next_f64().max(1e-12);
    let v = rng.next_f64();
    (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
}

/// The network of a choice with another demand.
fn network(design: &Design, demand: &[f64], chosen: &[bool]) -> Network {
    let mut net = design.network_with(chosen);
    net.demand = demand.to_vec();
    net
}

/// `count` examples: lanes drawn with probability 1/2 and repaired to the budget; every other
/// example at the nominal demand (where the search asks), the rest with every demand entry
/// scaled by 1 + 0.2·N(0, 1) (at least 0); equilibria to relative gap `gap`.
pub fn generate(
    design: &Design,
    count: usize,
    seed: u64,
    gap: f64,
    progress: &mut dyn FnMut(usize, usize),
    stop: &dyn Fn() -> bool,
) -> Result<Vec<Sample>, SurrogateError> {
    let mut rng = SeededRng::new(seed);
    let mut out = Vec::with_capacity(count);
    let rule = StopRule { gap, max_iterations: 100_000, deadline: None };
    for i in 0..count {
        if stop() {
            return Err(SurrogateError::Stopped);
        }
        let demand: Vec<f64> = if i % 2 == 0 {
            design.net.demand.clone()
        } else {
            design.net.demand.iter().map(|q| q * (1.0 + 0.2 * gaussian(&mut rng)).max(0.0)).collect()
        };
        let mut chosen: Vec<bool> = (0..design.candidates.len()).map(|_| rng.next_f64() < 0.5).collect();
        repair(design, &mut chosen, &mut rng);
        let net = network(design, &demand, &chosen);
        let (a, _) = gradient_projection(&net, rule, None, &mut |_| {}, None)?;
        out.push(Sample { demand, chosen, flows: a.flows, tstt: a.tstt });
        progress(i + 1, count);
    }
    Ok(out)
}

/// Sizes and training settings.
#[derive(Debug, Clone, Copy)]
pub struct SurrogateSettings {
    /// Hidden width.
    pub hidden: usize,
    /// Message-passing layers.
    pub layers: usize,
    /// Training epochs.
    pub epochs: usize,
    /// Samples per Adam step.
    pub batch: usize,
    /// Adam learning rate.
    pub learning_rate: f64,
    /// Seed of the initial weights.
    pub seed: u64,
}

impl Default for SurrogateSettings {
    fn default() -> Self {
        Self { hidden: 32, layers: 4, epochs: 100, batch: 32, learning_rate: 5e-3, seed: 1 }
    }
}

/// Held-out accuracy.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct Accuracy {
    /// Mean absolute error of TSTT, relative to the mean TSTT.
    pub tstt_relative_mae: f64,
    /// R² of TSTT.
    pub tstt_r2: f64,
    /// Mean absolute error of link flows.
    pub flow_mae: f64,
    /// R² of link flows.
    pub flow_r2: f64,
}

/// Edge inputs: capacity and free-flow time (over their means), the lane flag, the base flow.
const EDGE_INPUTS: usize = 4;

/// Relative gap of the base equilibrium the surrogate corrects.
const BASE_GAP: f64 = 1e-6;

/// The trained surrogate of one network and candidate set.
pub struct Surrogate {
    device: Device,
    hidden: usize,
    layers: usize,
    vars: Vec<Var>,
    input: Linear,
    edge_in: Vec<Linear>,
    mlp: Vec<(Linear, Linear)>,
    out1: Linear,
    out2: Linear,
    tails: Tensor,
    heads: Tensor,
    base_flows: Vec<f64>,
    base_tstt: f64,
    base_paths: Option<WarmStart>,
    demand_scale: f64,
    flow_scale: f64,
}

/// (inputs, outputs) of every linear layer, in the order of the weight list.
fn layer_shapes(zones: usize, hidden: usize, layers: usize) -> Vec<(usize, usize)> {
    let mut shapes = vec![(zones + 2, hidden)];
    for _ in 0..layers {
        shapes.extend([(EDGE_INPUTS, hidden), (hidden, hidden), (hidden, hidden)]);
    }
    shapes.extend([(2 * hidden + EDGE_INPUTS, hidden), (hidden, 1)]);
    shapes
}

/// What a model file records of the network it was trained for.
fn fingerprint(design: &Design, hidden: usize, layers: usize) -> Vec<f64> {
    let net = &design.net;
    vec![
        hidden as f64,
        layers as f64,
        net.links.len() as f64,
        net.zones as f64,
        net.nodes as f64,
        net.demand.iter().sum(),
        net.links.iter().map(|l| l.capacity).sum(),
    ]
}

/// How much to train a surrogate.
#[derive(Debug, Clone, Copy)]
pub struct Training {
    /// Exact equilibria generated: 80 % to train on, 20 % held out.
    pub samples: usize,
    /// Training epochs.
    pub epochs: usize,
    /// Seed of the samples and the initial weights.
    pub seed: u64,
}

/// What training gave: sizes, held-out accuracy, time.
#[derive(Debug, Clone, PartialEq, serde::Serialize, schemars::JsonSchema)]
pub struct TrainingReport {
    /// Equilibria generated.
    pub samples: usize,
    /// Of which held out.
    pub held_out: usize,
    /// Epochs.
    pub epochs: usize,
    /// Accuracy on the held-out equilibria.
    pub accuracy: Accuracy,
    /// Seconds for generating the equilibria, training and testing.
    pub train_seconds: f64,
}

/// Generates exact equilibria, trains a surrogate on 80 % of them and measures it on the
/// rest. `progress(stage, done, total)` hears of each sample and epoch; `stop()` true ends it
/// with [`SurrogateError::Stopped`].
pub fn fit(
    design: &Design,
    plan: Training,
    progress: &mut dyn FnMut(&str, u64, u64),
    stop: &dyn Fn() -> bool,
) -> Result<(Surrogate, TrainingReport), SurrogateError> {
    let started = std::time::Instant::now();
    let data = generate(
        design,
        plan.samples,
        plan.seed,
        1e-5,
        &mut |done, total| progress("exact equilibria to learn from", done as u64, total as u64),
        stop,
    )?;
    let split = data.len() * 4 / 5;
    let settings = SurrogateSettings { epochs: plan.epochs, seed: plan.seed, ..Default::default() };
    let mut model = Surrogate::new(design, settings)?;
    let epochs = plan.epochs as u64;
    model.train(
        design,
        &data[..split],
        settings,
        &mut |epoch, _| progress("training the surrogate", epoch as u64 + 1, epochs),
        stop,
    )?;
    let accuracy = model.accuracy(design, &data[split..])?;
    let report = TrainingReport {
        samples: data.len(),
        held_out: data.len() - split,
        epochs: plan.epochs,
        accuracy,
        train_seconds: started.elapsed().as_secs_f64(),
    };
    Ok((model, report))
}

/// Total system travel time of link flows on a network.
fn tstt_of(net: &Network, flows: &[f64]) -> f64 {
    flows.iter().enumerate().map(|(a, &x)| x * net.cost(a, x)).sum()
}

fn r2(pred: &[f64], truth: &[f64]) -> f64 {
    let mean = truth.iter().sum::<f64>() / truth.len().max(1) as f64;
    let total: f64 = truth.iter().map(|t| (t - mean).powi(2)).sum();
    let residual: f64 = pred.iter().zip(truth).map(|(p, t)| (p - t).powi(2)).sum();
    if total > 0.0 {
        1.0 - residual / total
    } else {
        0.0
    }
}

impl Surrogate {
    /// An untrained surrogate for `design`'s network: weights from the seeded generator, and
    /// the base equilibrium (nominal demand, no lanes) it learns to correct.
    pub fn new(design: &Design, settings: SurrogateSettings) -> Result<Self, SurrogateError> {
        let mut rng = SeededRng::new(settings.seed);
        let weights = layer_shapes(design.net.zones, settings.hidden, settings.layers)
            .into_iter()
            .flat_map(|(inp, out)| {
                let bound = 1.0 / (inp as f64).sqrt();
                [inp * out, out].map(|len| (0..len).map(|_| ((rng.next_f64() * 2.0 - 1.0) * bound) as f32).collect())
            })
            .collect::<Vec<Vec<f32>>>();
        let stop = StopRule { gap: BASE_GAP, max_iterations: 100_000, deadline: None };
        let (base, paths) = gradient_projection(&design.net, stop, None, &mut |_| {}, None)?;
        let weights = weights
            .into_iter()
            .map(|w| {
                let len = w.len();
                Tensor::from_vec(w, len, &Device::Cpu)
            })
            .collect::<Result<_, _>>()?;
        let mut model = Self::build(design, settings.hidden, settings.layers, weights, base.flows, base.tstt)?;
        model.base_paths = Some(paths);
        Ok(model)
    }

    /// The surrogate from a flat weight list (in [`layer_shapes`] order, weight then bias).
    fn build(
        design: &Design,
        hidden: usize,
        layers: usize,
        weights: Vec<Tensor>,
        base_flows: Vec<f64>,
        base_tstt: f64,
    ) -> Result<Self, SurrogateError> {
        let device = Device::Cpu;
        let net = &design.net;
        let mut vars = Vec::with_capacity(weights.len());
        let mut linears = Vec::new();
        let mut weights = weights.into_iter();
        for (inp, out) in layer_shapes(net.zones, hidden, layers) {
            let (Some(w), Some(b)) = (weights.next(), weights.next()) else {
                return Err(candle_core::Error::Msg("too few weights".into()).into());
            };
            let w = Var::from_tensor(&w.reshape((out, inp))?)?;
            let b = Var::from_tensor(&b.reshape(out)?)?;
            linears.push(Linear::new(w.as_tensor().clone(), Some(b.as_tensor().clone())));
            vars.extend([w, b]);
        }
        let mut linears = linears.into_iter();
        let mut next = || linears.next().ok_or_else(|| candle_core::Error::Msg("too few layers".into()));
        let input = next()?;
        let mut edge_in = Vec::new();
        let mut mlp = Vec::new();
        for _ in 0..layers {
            edge_in.push(next()?);
            mlp.push((next()?, next()?));
        }
        let (out1, out2) = (next()?, next()?);
        let index = |nodes: Vec<u32>| Tensor::from_vec(nodes, net.links.len(), &device);
        let tails = index(net.links.iter().map(|l| (l.from - 1) as u32).collect())?;
        let heads = index(net.links.iter().map(|l| (l.to - 1) as u32).collect())?;
        let demand_scale = net.demand.iter().cloned().fold(0.0, f64::max).max(1e-9);
        let flow_scale = (base_flows.iter().sum::<f64>() / base_flows.len().max(1) as f64).max(1e-9);
        Ok(Self {
            device,
            hidden,
            layers,
            vars,
            input,
            edge_in,
            mlp,
            out1,
            out2,
            tails,
            heads,
            base_flows,
            base_tstt,
            base_paths: None,
            demand_scale,
            flow_scale,
        })
    }

    /// TSTT of the exact base equilibrium (nominal demand, no new lanes) the model corrects.
    pub fn base_tstt(&self) -> f64 {
        self.base_tstt
    }

    /// Paths of the base equilibrium, when this process solved it (not kept in model files).
    pub fn base_paths(&self) -> Option<&WarmStart> {
        self.base_paths.as_ref()
    }

    /// Writes the weights, the base flows and what the model is for to a safetensors file.
    pub fn save(&self, design: &Design, path: &Path) -> Result<(), SurrogateError> {
        let mut tensors: HashMap<String, Tensor> = HashMap::new();
        for (i, v) in self.vars.iter().enumerate() {
            tensors.insert(format!("weight.{i:03}"), v.as_tensor().clone());
        }
        let meta = fingerprint(design, self.hidden, self.layers);
        tensors.insert("meta".into(), Tensor::from_vec(meta.clone(), meta.len(), &self.device)?);
        let links: Vec<u32> = design.candidates.iter().map(|c| c.link as u32).collect();
        tensors.insert("candidates".into(), Tensor::from_vec(links.clone(), links.len(), &self.device)?);
        let mut base = self.base_flows.clone();
        base.push(self.base_tstt);
        tensors.insert("base".into(), Tensor::from_vec(base.clone(), base.len(), &self.device)?);
        candle_core::safetensors::save(&tensors, path)
            .map_err(|e| SurrogateError::Model { path: path.display().to_string(), reason: e.to_string() })
    }

    /// Reads a model [`Surrogate::save`] wrote, refusing one trained for another network or
    /// candidate set.
    pub fn load(design: &Design, path: &Path) -> Result<Self, SurrogateError> {
        let bad = |reason: String| SurrogateError::Model { path: path.display().to_string(), reason };
        let mut tensors = candle_core::safetensors::load(path, &Device::Cpu).map_err(|e| bad(e.to_string()))?;
        let mut take = |name: &str| tensors.remove(name).ok_or_else(|| bad(format!("no tensor {name:?}")));
        let meta = take("meta")?.to_vec1::<f64>().map_err(|e| bad(format!("meta: {e}")))?;
        let candidates = take("candidates")?.to_vec1::<u32>().map_err(|e| bad(format!("candidates: {e}")))?;
        let mut base_flows = take("base")?.to_vec1::<f64>().map_err(|e| bad(format!("base: {e}")))?;
        let base_tstt = base_flows.pop().unwrap_or(f64::NAN);
        let (hidden, layers) = match meta.as_slice() {
            [h, l, ..] if *h >= 1.0 && *h <= 4096.0 && *l <= 64.0 => (*h as usize, *l as usize),
            _ => return Err(bad("meta has no valid sizes".into())),
        };
        let expected = fingerprint(design, hidden, layers);
        let same = meta.len() == expected.len()
            && meta.iter().zip(&expected).all(|(a, b)| (a - b).abs() <= 1e-9 * b.abs().max(1.0));
        if !same {
            return Err(bad("trained for another network or demand".into()));
        }
        if candidates.iter().map(|&l| l as usize).ne(design.candidates.iter().map(|c| c.link)) {
            return Err(bad("trained for another candidate set".into()));
        }
        if base_flows.len() != design.net.links.len() || !base_tstt.is_finite() {
            return Err(bad("base flows do not match the network".into()));
        }
        let shapes = layer_shapes(design.net.zones, hidden, layers);
        let mut weights = Vec::with_capacity(2 * shapes.len());
        for (i, len) in shapes.iter().flat_map(|(inp, out)| [inp * out, *out]).enumerate() {
            let w = take(&format!("weight.{i:03}"))?;
            if w.elem_count() != len || w.dtype() != DType::F32 {
                return Err(bad(format!("weight.{i:03} has the wrong shape or type")));
            }
            weights.push(w.flatten_all()?);
        }
        Self::build(design, hidden, layers, weights, base_flows, base_tstt)
    }

    /// Node and edge inputs of a batch: (B or 1, N, zones + 2) and (B, M, EDGE_INPUTS).
    fn inputs(&self, design: &Design, batch: &[Network], share: bool) -> Result<(Tensor, Tensor), SurrogateError> {
        let net = &design.net;
        let (n, m, z) = (net.nodes, net.links.len(), net.zones);
        let mean_cap = net.links.iter().map(|l| l.capacity).sum::<f64>() / m as f64;
        let mean_fft = (net.links.iter().map(|l| l.free_flow_time).sum::<f64>() / m as f64).max(1e-9);
        let nominal = net.demand.iter().sum::<f64>().max(1e-9);
        // With `share`, a demand common to the whole batch (the search's case) is sent once and
        // broadcast; training keeps one row per sample to draw mini-batches from.
        let shared = share && batch.iter().all(|lanes| lanes.demand == batch[0].demand);
        let demands = if shared { 1 } else { batch.len() };
        let mut node = vec![0f32; demands * n * (z + 2)];
        let mut edge = vec![0f32; batch.len() * m * EDGE_INPUTS];
        for (b, lanes) in batch.iter().enumerate().take(demands) {
            let demand = &lanes.demand;
            for o in 0..z {
                let base = (b * n + o) * (z + 2);
                let mut produced = 0.0;
                for d in 0..z {
                    let q = demand[o * z + d] / self.demand_scale;
                    node[base + d] = q as f32;
                    produced += q;
                }
                let attracted: f64 = (0..z).map(|s| demand[s * z + o] / self.demand_scale).sum();
                node[base + z] = produced as f32;
                node[base + z + 1] = attracted as f32;
            }
        }
        for (b, lanes) in batch.iter().enumerate() {
            let ratio = lanes.total_demand() / nominal;
            for (a, l) in lanes.links.iter().enumerate() {
                let base = (b * m + a) * EDGE_INPUTS;
                edge[base] = (l.capacity / mean_cap) as f32;
                edge[base + 1] = (l.free_flow_time / mean_fft) as f32;
                edge[base + 2] = f32::from(u8::from(l.capacity != net.links[a].capacity));
                edge[base + 3] = (self.base_flows[a] * ratio / self.flow_scale) as f32;
            }
        }
        Ok((
            Tensor::from_vec(node, (demands, n, z + 2), &self.device)?,
            Tensor::from_vec(edge, (batch.len(), m, EDGE_INPUTS), &self.device)?,
        ))
    }

    /// Scaled flows (B, M): the scaled base flow plus the network's correction.
    fn forward(&self, node: &Tensor, edge: &Tensor) -> Result<Tensor, SurrogateError> {
        let (batch, _, _) = edge.dims3()?;
        let nodes = node.dim(1)?;
        let mut h = self.input.forward(node)?.relu()?;
        for (e_in, (l1, l2)) in self.edge_in.iter().zip(&self.mlp) {
            let from = h.index_select(&self.tails, 1)?;
            let messages = e_in.forward(edge)?.broadcast_add(&from)?.relu()?;
            let gathered = Tensor::zeros((batch, nodes, self.hidden), DType::F32, &self.device)?.index_add(
                &self.heads,
                &messages,
                1,
            )?;
            let update = l2.forward(&l1.forward(&gathered.broadcast_add(&h)?)?.relu()?)?;
            h = update.broadcast_add(&h)?.relu()?;
        }
        // The link layer reads [h(tail), h(head), edge inputs]; its weight is applied block by
        // block, the node blocks per node before the gather (fewer nodes than links).
        let w = self.out1.weight();
        let block = |from: usize, len: usize| w.narrow(1, from, len)?.t();
        let at_tails = h.broadcast_matmul(&block(0, self.hidden)?)?.index_select(&self.tails, 1)?;
        let at_heads = h.broadcast_matmul(&block(self.hidden, self.hidden)?)?.index_select(&self.heads, 1)?;
        let mut link = ((at_tails + at_heads)? + edge.broadcast_matmul(&block(2 * self.hidden, EDGE_INPUTS)?)?)?;
        if let Some(b) = self.out1.bias() {
            link = link.broadcast_add(b)?;
        }
        let correction = self.out2.forward(&link.relu()?)?.squeeze(D::Minus1)?;
        let base = edge.narrow(D::Minus1, EDGE_INPUTS - 1, 1)?.squeeze(D::Minus1)?;
        Ok((base + correction)?)
    }

    /// Trains on `samples` (shuffled mini-batches, Adam); `progress(epoch, loss)` hears of each epoch;
    /// `stop()` true ends it with [`SurrogateError::Stopped`].
    pub fn train(
        &mut self,
        design: &Design,
        samples: &[Sample],
        settings: SurrogateSettings,
        progress: &mut dyn FnMut(usize, f64),
        stop: &dyn Fn() -> bool,
    ) -> Result<(), SurrogateError> {
        if samples.is_empty() {
            return Err(SurrogateError::NoSamples);
        }
        let nets: Vec<Network> = samples.iter().map(|s| network(design, &s.demand, &s.chosen)).collect();
        let (node, edge) = self.inputs(design, &nets, false)?;
        let target: Vec<f32> =
            samples.iter().flat_map(|s| s.flows.iter().map(|f| (f / self.flow_scale) as f32)).collect();
        let target = Tensor::from_vec(target, (samples.len(), design.net.links.len()), &self.device)?;
        let params = candle_nn::ParamsAdamW { lr: settings.learning_rate, weight_decay: 0.0, ..Default::default() };
        let mut opt = candle_nn::AdamW::new(self.vars.clone(), params)?;
        let mut rng = SeededRng::new(settings.seed ^ 0x5eed);
        let mut order: Vec<u32> = (0..samples.len() as u32).collect();
        let size = settings.batch.max(1);
        for epoch in 0..settings.epochs {
            // A seeded shuffle, then one Adam step per mini-batch.
            for i in (1..order.len()).rev() {
                order.swap(i, rng.below(i + 1));
            }
            let mut total = 0.0;
            for chunk in order.chunks(size) {
                if stop() {
                    return Err(SurrogateError::Stopped);
                }
                let rows = Tensor::from_vec(chunk.to_vec(), chunk.len(), &self.device)?;
                let pred = self.forward(&node.index_select(&rows, 0)?, &edge.index_select(&rows, 0)?)?;
                let loss = candle_nn::loss::mse(&pred, &target.index_select(&rows, 0)?)?;
                opt.backward_step(&loss)?;
                total += f64::from(loss.to_scalar::<f32>()?) * chunk.len() as f64;
            }
            progress(epoch, total / samples.len() as f64);
        }
        Ok(())
    }

    /// Predicted link flows of a batch of networks (`design`'s with lanes added and a demand,
    /// as [`Design::network_with`] makes them), in one forward pass.
    pub fn flows(&self, design: &Design, batch: &[Network]) -> Result<Vec<Vec<f64>>, SurrogateError> {
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let (node, edge) = self.inputs(design, batch, true)?;
        let out = self.forward(&node, &edge)?.to_vec2::<f32>()?;
        Ok(out.iter().map(|row| row.iter().map(|f| (f64::from(*f) * self.flow_scale).max(0.0)).collect()).collect())
    }

    /// Predicted TSTT of each choice at one demand.
    pub fn tstt_batch(
        &self,
        design: &Design,
        demand: &[f64],
        choices: &[Vec<bool>],
    ) -> Result<Vec<f64>, SurrogateError> {
        let nets: Vec<Network> = choices.iter().map(|c| network(design, demand, c)).collect();
        let flows = self.flows(design, &nets)?;
        Ok(nets.iter().zip(&flows).map(|(net, f)| tstt_of(net, f)).collect())
    }

    /// Accuracy on held-out samples.
    pub fn accuracy(&self, design: &Design, samples: &[Sample]) -> Result<Accuracy, SurrogateError> {
        let nets: Vec<Network> = samples.iter().map(|s| network(design, &s.demand, &s.chosen)).collect();
        let predicted = self.flows(design, &nets)?;
        let (mut pt, mut tt, mut pf, mut tf) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for ((s, net), flows) in samples.iter().zip(&nets).zip(predicted) {
            pt.push(tstt_of(net, &flows));
            tt.push(s.tstt);
            pf.extend(flows);
            tf.extend(s.flows.iter().cloned());
        }
        let mean_t = tt.iter().sum::<f64>() / tt.len().max(1) as f64;
        let mae_t = pt.iter().zip(&tt).map(|(p, t)| (p - t).abs()).sum::<f64>() / tt.len().max(1) as f64;
        let mae_f = pf.iter().zip(&tf).map(|(p, t)| (p - t).abs()).sum::<f64>() / tf.len().max(1) as f64;
        Ok(Accuracy {
            tstt_relative_mae: mae_t / mean_t.max(1e-9),
            tstt_r2: r2(&pt, &tt),
            flow_mae: mae_f,
            flow_r2: r2(&pf, &tf),
        })
    }
}
