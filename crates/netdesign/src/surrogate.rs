//! The graph-neural-network surrogate of the equilibrium: GIN-style message passing over the
//! road network (node inputs: each zone's demand row and totals; edge inputs: capacity,
//! free-flow time, the lane decision), link flows out, TSTT from the flows through the links'
//! BPR costs. Trained in pure Rust on CPU (candle) on equilibria the exact solver computes for
//! perturbed demand and random lanes, with a held-out split. Weights start from the seeded
//! generator, so the same seed trains the same model.

use crate::design::Design;
use crate::ga::repair;
use candle_core::{Device, Tensor, Var, D};
use candle_nn::{Linear, Module, Optimizer};
use tripsmith_model::SeededRng;
use tripsmith_traffic::assign::{gradient_projection, AssignError, StopRule};
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

/// `count` examples: every demand entry scaled by 1 + 0.2·N(0, 1) (at least 0), lanes drawn
/// with probability 1/2 and repaired to the budget, equilibria to relative gap `gap`.
pub fn generate(
    design: &Design,
    count: usize,
    seed: u64,
    gap: f64,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Vec<Sample>, SurrogateError> {
    let mut rng = SeededRng::new(seed);
    let mut out = Vec::with_capacity(count);
    let stop = StopRule { gap, max_iterations: 100_000, deadline: None };
    for i in 0..count {
        let demand: Vec<f64> =
            design.net.demand.iter().map(|q| q * (1.0 + 0.2 * gaussian(&mut rng)).max(0.0)).collect();
        let mut chosen: Vec<bool> = (0..design.candidates.len()).map(|_| rng.next_f64() < 0.5).collect();
        repair(design, &mut chosen, &mut rng);
        let net = network(design, &demand, &chosen);
        let (a, _) = gradient_projection(&net, stop, None, &mut |_| {}, None)?;
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
    /// Training epochs (full batch).
    pub epochs: usize,
    /// Adam learning rate.
    pub learning_rate: f64,
    /// Seed of the initial weights.
    pub seed: u64,
}

impl Default for SurrogateSettings {
    fn default() -> Self {
        Self { hidden: 32, layers: 4, epochs: 400, learning_rate: 5e-3, seed: 1 }
    }
}

/// Held-out accuracy.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
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

/// The trained surrogate of one network and candidate set.
pub struct Surrogate {
    device: Device,
    vars: Vec<Var>,
    input: Linear,
    edge_in: Vec<Linear>,
    mlp: Vec<(Linear, Linear)>,
    out1: Linear,
    out2: Linear,
    tails: Tensor,
    heads: Tensor,
    incoming: Tensor,
    demand_scale: f64,
    flow_scale: f64,
}

fn seeded_linear(
    rng: &mut SeededRng,
    vars: &mut Vec<Var>,
    device: &Device,
    inp: usize,
    out: usize,
) -> Result<Linear, SurrogateError> {
    let bound = 1.0 / (inp as f64).sqrt();
    let w: Vec<f32> = (0..inp * out).map(|_| ((rng.next_f64() * 2.0 - 1.0) * bound) as f32).collect();
    let b: Vec<f32> = (0..out).map(|_| ((rng.next_f64() * 2.0 - 1.0) * bound) as f32).collect();
    let w = Var::from_tensor(&Tensor::from_vec(w, (out, inp), device)?)?;
    let b = Var::from_tensor(&Tensor::from_vec(b, out, device)?)?;
    let layer = Linear::new(w.as_tensor().clone(), Some(b.as_tensor().clone()));
    vars.push(w);
    vars.push(b);
    Ok(layer)
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
    /// An untrained surrogate for `design`'s network.
    pub fn new(design: &Design, settings: SurrogateSettings) -> Result<Self, SurrogateError> {
        let device = Device::Cpu;
        let net = &design.net;
        let (n, m, z) = (net.nodes, net.links.len(), net.zones);
        let mut rng = SeededRng::new(settings.seed);
        let mut vars = Vec::new();
        let h = settings.hidden;
        let input = seeded_linear(&mut rng, &mut vars, &device, z + 2, h)?;
        let mut edge_in = Vec::new();
        let mut mlp = Vec::new();
        for _ in 0..settings.layers {
            edge_in.push(seeded_linear(&mut rng, &mut vars, &device, 3, h)?);
            mlp.push((
                seeded_linear(&mut rng, &mut vars, &device, h, h)?,
                seeded_linear(&mut rng, &mut vars, &device, h, h)?,
            ));
        }
        let out1 = seeded_linear(&mut rng, &mut vars, &device, 2 * h + 3, h)?;
        let out2 = seeded_linear(&mut rng, &mut vars, &device, h, 1)?;
        let tails = Tensor::from_vec(net.links.iter().map(|l| (l.from - 1) as u32).collect::<Vec<_>>(), m, &device)?;
        let heads = Tensor::from_vec(net.links.iter().map(|l| (l.to - 1) as u32).collect::<Vec<_>>(), m, &device)?;
        let mut inc = vec![0f32; n * m];
        for (a, l) in net.links.iter().enumerate() {
            inc[(l.to - 1) * m + a] = 1.0;
        }
        let incoming = Tensor::from_vec(inc, (n, m), &device)?;
        let demand_scale = net.demand.iter().cloned().fold(0.0, f64::max).max(1e-9);
        Ok(Self {
            device,
            vars,
            input,
            edge_in,
            mlp,
            out1,
            out2,
            tails,
            heads,
            incoming,
            demand_scale,
            flow_scale: 1.0,
        })
    }

    /// Node and edge inputs of a batch: (B, N, zones + 2) and (B, M, 3).
    fn inputs(&self, design: &Design, batch: &[(&[f64], &[bool])]) -> Result<(Tensor, Tensor), SurrogateError> {
        let net = &design.net;
        let (n, m, z) = (net.nodes, net.links.len(), net.zones);
        let mean_cap = net.links.iter().map(|l| l.capacity).sum::<f64>() / m as f64;
        let mean_fft = (net.links.iter().map(|l| l.free_flow_time).sum::<f64>() / m as f64).max(1e-9);
        let mut node = vec![0f32; batch.len() * n * (z + 2)];
        let mut edge = vec![0f32; batch.len() * m * 3];
        for (b, (demand, chosen)) in batch.iter().enumerate() {
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
            let lanes = design.network_with(chosen);
            for (a, l) in lanes.links.iter().enumerate() {
                let base = (b * m + a) * 3;
                edge[base] = (l.capacity / mean_cap) as f32;
                edge[base + 1] = (l.free_flow_time / mean_fft) as f32;
                edge[base + 2] = f32::from(u8::from(l.capacity != net.links[a].capacity));
            }
        }
        Ok((
            Tensor::from_vec(node, (batch.len(), n, z + 2), &self.device)?,
            Tensor::from_vec(edge, (batch.len(), m, 3), &self.device)?,
        ))
    }

    /// Scaled flows (B, M).
    fn forward(&self, node: &Tensor, edge: &Tensor) -> Result<Tensor, SurrogateError> {
        let mut h = self.input.forward(node)?.relu()?;
        for (e_in, (l1, l2)) in self.edge_in.iter().zip(&self.mlp) {
            let from = h.index_select(&self.tails, 1)?;
            let messages = (from + e_in.forward(edge)?)?.relu()?;
            let gathered = self.incoming.broadcast_matmul(&messages)?;
            let update = l2.forward(&l1.forward(&(&h + gathered)?)?.relu()?)?;
            h = (h + update)?.relu()?;
        }
        let pair =
            Tensor::cat(&[h.index_select(&self.tails, 1)?, h.index_select(&self.heads, 1)?, edge.clone()], D::Minus1)?;
        let out = self.out2.forward(&self.out1.forward(&pair)?.relu()?)?;
        Ok(out.squeeze(D::Minus1)?)
    }

    /// Trains on `samples`; `progress(epoch, loss)` hears of each epoch.
    pub fn train(
        &mut self,
        design: &Design,
        samples: &[Sample],
        settings: SurrogateSettings,
        progress: &mut dyn FnMut(usize, f64),
    ) -> Result<(), SurrogateError> {
        let all: Vec<f64> = samples.iter().flat_map(|s| s.flows.iter().cloned()).collect();
        self.flow_scale = (all.iter().sum::<f64>() / all.len().max(1) as f64).max(1e-9);
        let batch: Vec<(&[f64], &[bool])> =
            samples.iter().map(|s| (s.demand.as_slice(), s.chosen.as_slice())).collect();
        let (node, edge) = self.inputs(design, &batch)?;
        let target: Vec<f32> =
            samples.iter().flat_map(|s| s.flows.iter().map(|f| (f / self.flow_scale) as f32)).collect();
        let target = Tensor::from_vec(target, (samples.len(), design.net.links.len()), &self.device)?;
        let params = candle_nn::ParamsAdamW { lr: settings.learning_rate, weight_decay: 0.0, ..Default::default() };
        let mut opt = candle_nn::AdamW::new(self.vars.clone(), params)?;
        for epoch in 0..settings.epochs {
            let pred = self.forward(&node, &edge)?;
            let loss = candle_nn::loss::mse(&pred, &target)?;
            opt.backward_step(&loss)?;
            progress(epoch, f64::from(loss.to_scalar::<f32>()?));
        }
        Ok(())
    }

    /// Predicted link flows for a demand and a choice.
    pub fn flows(&self, design: &Design, demand: &[f64], chosen: &[bool]) -> Result<Vec<f64>, SurrogateError> {
        let (node, edge) = self.inputs(design, &[(demand, chosen)])?;
        let out = self.forward(&node, &edge)?.to_vec2::<f32>()?;
        Ok(out[0].iter().map(|f| (f64::from(*f) * self.flow_scale).max(0.0)).collect())
    }

    /// Predicted TSTT of a choice at a demand.
    pub fn tstt(&self, design: &Design, demand: &[f64], chosen: &[bool]) -> Result<f64, SurrogateError> {
        let net = network(design, demand, chosen);
        let flows = self.flows(design, demand, chosen)?;
        Ok(flows.iter().enumerate().map(|(a, &x)| x * net.cost(a, x)).sum())
    }

    /// Accuracy on held-out samples.
    pub fn accuracy(&self, design: &Design, samples: &[Sample]) -> Result<Accuracy, SurrogateError> {
        let (mut pt, mut tt, mut pf, mut tf) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for s in samples {
            let flows = self.flows(design, &s.demand, &s.chosen)?;
            let net = network(design, &s.demand, &s.chosen);
            pt.push(flows.iter().enumerate().map(|(a, &x)| x * net.cost(a, x)).sum::<f64>());
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
