//! The intention-aware model, after TRAINOR (Xin et al., AAAI 2021), in candle on the CPU:
//!
//! - **home-town preference**: each user's home places (their check-ins within `away_km` of
//!   home) form a graph whose edges are consecutive check-ins; one round of message passing
//!   over place embeddings (`tanh(h·W_self + mean of neighbours·W_nb)`) and an attention
//!   readout give the user's home preference `p`;
//! - **travel intentions**: K intention vectors `T` double as the topics of a neural topic
//!   model over out-of-town visits (a document is one user's check-ins in one region, its
//!   words the places): a VAE encodes the bag of places into a topic mixture, and each topic
//!   is a distribution over places, `softmax(T·Vᵀ)`; a user's own intention is an attention
//!   mixture of `T` conditioned on `p`;
//! - **mapping**: a non-linear MLP maps `p` to an out-of-town preference `m`, pulled towards
//!   the user's free out-of-town embedding `U` (the transfer loss);
//! - **out-of-town places**: matrix-factorisation embeddings `V`, smoothed over each place's
//!   nearest places (the geographic graph), with a bias;
//! - score `(m + intention + U)·V + bias`, trained by BPR (negatives from anywhere, or a
//!   share from the positive's region) with L2 on the batch's factors, plus the transfer and
//!   topic-model losses, Adam;
//! - optionally on a **base**: a BPR-MF model trained beforehand on every check-in (home ones
//!   too), kept fixed, whose score is added to the one above, so the model learns what
//!   out-of-town visits add to what the base knows of users and places (the evaluation and
//!   `train_on_everything` always give one).
//!
//! Seeded: initial weights, batches, negatives and the VAE's noise come from one seed.

mod file;
mod summary;

pub use file::ModelFileError;
pub use summary::{IntentionSummary, PlaceWeight};

use crate::baselines::BprMf;
use crate::checkins::{CheckIn, CheckIns};
use crate::eval::{factor_scores, Ranker};
use crate::regions::Regions;
use crate::split::Case;
use crate::trips::km;
use candle_core::{DType, Device, Tensor, Var, D};
use candle_nn::Optimizer;
use tripsmith_model::{LatLon, Progress, SeededRng};

/// Settings of the model and its training.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IntentionSettings {
    /// Embedding size.
    pub dim: usize,
    /// Travel intentions (topics).
    pub intentions: usize,
    /// Passes over the out-of-town (user, place) pairs.
    pub epochs: usize,
    /// Pairs per step.
    pub batch: usize,
    /// Adam's step size.
    pub learning_rate: f64,
    /// Weight of the transfer (mapping) loss.
    pub transfer_weight: f64,
    /// Weight of the topic model's loss.
    pub topic_weight: f64,
    /// L2 weight on the user and place factors of each batch.
    pub regularisation: f64,
    /// Share of negatives drawn from the positive's region (the rest from anywhere).
    pub region_negatives: f64,
    /// Nearest places averaged in the geographic graph.
    pub neighbours: usize,
    /// Seed.
    pub seed: u64,
}

impl Default for IntentionSettings {
    /// 32 dimensions, 15 intentions (TRAINOR's default), 10 epochs of 512 pairs, Adam step
    /// 0.003, transfer 0.3, topics 0.05, L2 0.01, uniform negatives, 10 geographic
    /// neighbours, seed 1: the best of the settings tried on Foursquare_3's validation split
    /// (README).
    fn default() -> Self {
        IntentionSettings {
            dim: 32,
            intentions: 15,
            epochs: 10,
            batch: 512,
            learning_rate: 0.003,
            transfer_weight: 0.3,
            topic_weight: 0.05,
            regularisation: 0.01,
            region_negatives: 0.0,
            neighbours: 10,
            seed: 1,
        }
    }
}

/// What training needs besides the check-ins: where each user lives and what counts as away.
pub struct TrainingData<'a> {
    /// The data set (places).
    pub data: &'a CheckIns,
    /// The check-ins to learn from.
    pub train: &'a [CheckIn],
    /// Each user's home, if any.
    pub homes: &'a [Option<LatLon>],
    /// The regions (negatives and topic documents).
    pub regions: &'a Regions,
    /// A check-in farther than this many km from home is out of town.
    pub away_km: f64,
    /// A BPR-MF model trained beforehand whose scores the model adds to its own and learns to
    /// correct (kept fixed; its factors are appended to the trained model's).
    pub base: Option<&'a BprMf>,
}

/// A trained model: each user's out-of-town preference and intention mixture, each place's
/// embedding and bias.
#[derive(Debug, Clone)]
pub struct IntentionModel {
    dim: usize,
    /// Users × dim.
    users: Vec<f32>,
    /// Places × dim.
    places: Vec<f32>,
    bias: Vec<f32>,
    /// Users × intentions: each user's intention mixture.
    pub mixtures: Vec<f32>,
    /// Intentions × places: each intention's distribution over places.
    pub topics: Vec<f32>,
    /// How many intentions.
    pub intentions: usize,
    /// Training loss at each epoch's end.
    pub losses: Vec<f64>,
}

/// A matrix of small seeded random values.
fn init(rng: &mut SeededRng, rows: usize, cols: usize, scale: f64) -> candle_core::Result<Var> {
    let values: Vec<f32> = (0..rows * cols).map(|_| ((rng.next_f64() * 2.0 - 1.0) * scale) as f32).collect();
    Var::from_tensor(&Tensor::from_vec(values, (rows, cols), &Device::Cpu)?)
}

/// `ln(1 + eˣ)`, stable for large |x|.
fn softplus(x: &Tensor) -> candle_core::Result<Tensor> {
    x.relu()? + (x.abs()?.neg()?.exp()? + 1.0)?.log()?
}

/// A u32 index tensor.
fn index(values: Vec<u32>) -> candle_core::Result<Tensor> {
    let n = values.len();
    Tensor::from_vec(values, n, &Device::Cpu)
}

/// Each user's home graph: their distinct home places and the edges between consecutive
/// check-ins (both directions), as local indices.
struct HomeGraphs {
    /// Per user: the places (node i is `places[i]`).
    places: Vec<Vec<u32>>,
    /// Per user: edges (from, to) between local nodes.
    edges: Vec<Vec<(u32, u32)>>,
}

/// Several users' home graphs as one graph of tensors, for one forward pass.
struct HomeBatch {
    /// The place of each node.
    place: Tensor,
    /// The batch row (user) of each node.
    row: Tensor,
    /// Edge sources and targets (nodes).
    from: Tensor,
    to: Tensor,
    /// 1 / max(1, in-degree) of each node, as a (nodes, 1) column.
    inverse_degree: Tensor,
    nodes: usize,
    rows: usize,
}

impl HomeGraphs {
    fn new(input: &TrainingData) -> Self {
        let users = input.data.users;
        let (mut places, mut edges) = (vec![Vec::new(); users], vec![Vec::new(); users]);
        let train = input.train;
        let mut start = 0;
        while start < train.len() {
            let u = train[start].user;
            let end = start + train[start..].iter().take_while(|e| e.user == u).count();
            if let Some(home) = input.homes.get(u).copied().flatten() {
                let at_home: Vec<u32> = train[start..end]
                    .iter()
                    .filter(|e| km(home, input.data.pois[e.poi]) <= input.away_km)
                    .map(|e| e.poi as u32)
                    .collect();
                let mut distinct = at_home.clone();
                distinct.sort_unstable();
                distinct.dedup();
                let local = |p: u32| distinct.binary_search(&p).unwrap_or(0) as u32;
                let mut pairs: Vec<(u32, u32)> = at_home
                    .windows(2)
                    .filter(|w| w[0] != w[1])
                    .flat_map(|w| [(local(w[0]), local(w[1])), (local(w[1]), local(w[0]))])
                    .collect();
                pairs.sort_unstable();
                pairs.dedup();
                (places[u], edges[u]) = (distinct, pairs);
            }
            start = end;
        }
        HomeGraphs { places, edges }
    }

    /// The graphs of `users` (batch row r is `users[r]`).
    fn batch(&self, users: &[usize]) -> candle_core::Result<HomeBatch> {
        let (mut place, mut row, mut from, mut to) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (r, &u) in users.iter().enumerate() {
            let base = place.len() as u32;
            place.extend_from_slice(&self.places[u]);
            row.extend(std::iter::repeat_n(r as u32, self.places[u].len()));
            for &(a, b) in &self.edges[u] {
                from.push(base + a);
                to.push(base + b);
            }
        }
        let nodes = place.len();
        let mut degree = vec![0f32; nodes];
        to.iter().for_each(|&b| degree[b as usize] += 1.0);
        let inverse: Vec<f32> = degree.iter().map(|d| 1.0 / d.max(1.0)).collect();
        Ok(HomeBatch {
            place: index(place)?,
            row: index(row)?,
            from: index(from)?,
            to: index(to)?,
            inverse_degree: Tensor::from_vec(inverse, (nodes, 1), &Device::Cpu)?,
            nodes,
            rows: users.len(),
        })
    }
}

/// The trainable weights.
struct Weights {
    home: Var,
    self_w: Var,
    neighbour_w: Var,
    attention: Var,
    map1: Var,
    map1_b: Var,
    map2: Var,
    intent_attention: Var,
    topics: Var,
    users: Var,
    places: Var,
    geo: Var,
    bias: Var,
    encoder: Var,
    encoder_b: Var,
    mean: Var,
    log_var: Var,
}

impl Weights {
    fn new(rng: &mut SeededRng, users: usize, places: usize, s: &IntentionSettings) -> candle_core::Result<Self> {
        let (d, k) = (s.dim, s.intentions);
        let fan = |n: usize| 1.0 / (n as f64).sqrt();
        Ok(Weights {
            home: init(rng, places, d, 0.1)?,
            self_w: init(rng, d, d, fan(d))?,
            neighbour_w: init(rng, d, d, fan(d))?,
            attention: init(rng, d, 1, fan(d))?,
            map1: init(rng, d, d, fan(d))?,
            map1_b: init(rng, 1, d, 0.0)?,
            map2: init(rng, d, d, fan(d))?,
            intent_attention: init(rng, d, d, fan(d))?,
            topics: init(rng, k, d, 0.1)?,
            users: init(rng, users, d, 0.01)?,
            places: init(rng, places, d, 0.1)?,
            geo: init(rng, d, d, 0.01)?,
            bias: init(rng, places, 1, 0.0)?,
            encoder: init(rng, places, d, fan(places))?,
            encoder_b: init(rng, 1, d, 0.0)?,
            mean: init(rng, d, k, fan(d))?,
            log_var: init(rng, d, k, 0.01)?,
        })
    }

    fn all(&self) -> Vec<Var> {
        [
            &self.home,
            &self.self_w,
            &self.neighbour_w,
            &self.attention,
            &self.map1,
            &self.map1_b,
            &self.map2,
            &self.intent_attention,
            &self.topics,
            &self.users,
            &self.places,
            &self.geo,
            &self.bias,
            &self.encoder,
            &self.encoder_b,
            &self.mean,
            &self.log_var,
        ]
        .into_iter()
        .cloned()
        .collect()
    }
}

/// The home preference of each user of a batch: one round of message passing over their home
/// graph, then an attention readout (a user without home places gets zeros).
fn home_preference(w: &Weights, g: &HomeBatch) -> candle_core::Result<Tensor> {
    let d = w.self_w.dims()[0];
    if g.nodes == 0 {
        return Tensor::zeros((g.rows, d), DType::F32, &Device::Cpu);
    }
    let h0 = w.home.as_tensor().index_select(&g.place, 0)?;
    let sum = if g.from.dims()[0] == 0 {
        Tensor::zeros((g.nodes, d), DType::F32, &Device::Cpu)?
    } else {
        Tensor::zeros((g.nodes, d), DType::F32, &Device::Cpu)?.index_add(&g.to, &h0.index_select(&g.from, 0)?, 0)?
    };
    let mean = sum.broadcast_mul(&g.inverse_degree)?;
    let h1 = (h0.matmul(w.self_w.as_tensor())? + mean.matmul(w.neighbour_w.as_tensor())?)?.tanh()?;
    let score = h1.matmul(w.attention.as_tensor())?.tanh()?.exp()?; // (nodes, 1), in [1/e, e]
    let total = Tensor::zeros((g.rows, 1), DType::F32, &Device::Cpu)?.index_add(&g.row, &score, 0)?;
    let weight = score.broadcast_div(&total.index_select(&g.row, 0)?)?;
    Tensor::zeros((g.rows, d), DType::F32, &Device::Cpu)?.index_add(&g.row, &h1.broadcast_mul(&weight)?, 0)
}

/// From home preferences (rows × dim): the mapped preference plus the intention, and the
/// intention mixtures (rows × K).
fn travel_side(w: &Weights, home: &Tensor) -> candle_core::Result<(Tensor, Tensor)> {
    let topics = w.topics.as_tensor();
    let logits = home.matmul(w.intent_attention.as_tensor())?.matmul(&topics.t()?)?;
    let mixtures = candle_nn::ops::softmax(&logits, D::Minus1)?;
    let intention = mixtures.matmul(topics)?;
    let mapped =
        home.matmul(w.map1.as_tensor())?.broadcast_add(w.map1_b.as_tensor())?.tanh()?.matmul(w.map2.as_tensor())?;
    Ok(((mapped + intention)?, mixtures))
}

/// Place embeddings smoothed over their nearest places (places × dim).
fn place_side(w: &Weights, neighbours: &Tensor) -> candle_core::Result<Tensor> {
    let places = w.places.as_tensor();
    let (p, d) = places.dims2()?;
    let near = places.index_select(&neighbours.flatten_all()?, 0)?.reshape((p, (), d))?.mean(1)?;
    places + near.matmul(w.geo.as_tensor())?
}

/// Each place's `count` nearest other places (by distance; ties by id), row after row.
fn nearest_places(pois: &[LatLon], count: usize) -> Vec<u32> {
    // A grid of 0.5° cells: the neighbours come from the place's cell and those around it,
    // widening until enough are found.
    let cell = |p: LatLon| ((p.lat / 0.5).floor() as i64, (p.lon / 0.5).floor() as i64);
    let mut grid: std::collections::HashMap<(i64, i64), Vec<usize>> = std::collections::HashMap::new();
    pois.iter().enumerate().for_each(|(i, &p)| grid.entry(cell(p)).or_default().push(i));
    let mut out = Vec::with_capacity(pois.len() * count);
    for (i, &p) in pois.iter().enumerate() {
        let (cx, cy) = cell(p);
        let mut found: Vec<(f64, usize)> = Vec::new();
        let mut ring = 1;
        while found.len() < count + 1 && ring <= 8 {
            found.clear();
            for x in cx - ring..=cx + ring {
                for y in cy - ring..=cy + ring {
                    found.extend(grid.get(&(x, y)).into_iter().flatten().map(|&j| (km(p, pois[j]), j)));
                }
            }
            ring *= 2;
        }
        found.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut near: Vec<u32> = found.iter().filter(|f| f.1 != i).take(count).map(|f| f.1 as u32).collect();
        while near.len() < count {
            near.push(i as u32); // too few around: the place itself fills in
        }
        out.extend(near);
    }
    out
}

/// The message of the error training fails with when it is stopped.
pub const STOPPED: &str = "training stopped";

impl IntentionModel {
    /// Trains on `input`, reporting each epoch to `progress`; fails with "training stopped"
    /// as soon as `stop` says so (it is asked before every step).
    pub fn train(
        input: &TrainingData,
        settings: &IntentionSettings,
        progress: &dyn Progress,
        stop: &dyn Fn() -> bool,
    ) -> candle_core::Result<Self> {
        let (users, places) = (input.data.users, input.data.pois.len());
        let (d, k) = (settings.dim.max(1), settings.intentions.max(1));
        let settings = IntentionSettings { dim: d, intentions: k, ..*settings };
        let mut rng = SeededRng::new(settings.seed);
        let weights = Weights::new(&mut rng, users, places, &settings)?;
        let graphs = HomeGraphs::new(input);
        let neighbours = Tensor::from_vec(
            nearest_places(&input.data.pois, settings.neighbours.max(1)),
            (places, settings.neighbours.max(1)),
            &Device::Cpu,
        )?;
        // Out-of-town (user, place) pairs, and topic documents: one user's places in one region.
        let away = |e: &&CheckIn| {
            input.homes.get(e.user).copied().flatten().is_some_and(|h| km(h, input.data.pois[e.poi]) > input.away_km)
        };
        let mut pairs: Vec<(usize, usize)> = input.train.iter().filter(away).map(|e| (e.user, e.poi)).collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut grouped: std::collections::BTreeMap<(usize, usize), Vec<usize>> = std::collections::BTreeMap::new();
        for &(u, p) in &pairs {
            grouped.entry((u, input.regions.of[p])).or_default().push(p);
        }
        let documents: Vec<((usize, usize), Vec<usize>)> = grouped.into_iter().collect();
        let params = candle_nn::ParamsAdamW { lr: settings.learning_rate, weight_decay: 1e-5, ..Default::default() };
        let mut optimiser = candle_nn::AdamW::new(weights.all(), params)?;
        let steps = pairs.len().div_ceil(settings.batch.max(1)).max(1);
        let mut losses = Vec::new();
        for epoch in 0..settings.epochs {
            let mut epoch_loss = 0.0;
            for _ in 0..steps {
                if stop() {
                    return Err(candle_core::Error::Msg(STOPPED.into()));
                }
                let loss = step(&weights, &graphs, &neighbours, input, &settings, &pairs, &documents, &mut rng)?;
                epoch_loss += f64::from(loss.to_scalar::<f32>()?);
                optimiser.backward_step(&loss)?;
            }
            losses.push(epoch_loss / steps as f64);
            progress.update("training", epoch as u64 + 1, settings.epochs as u64);
        }
        let place_vectors = place_side(&weights, &neighbours)?;
        let (mut user_vectors, mut mixtures) = (Vec::with_capacity(users * d), Vec::with_capacity(users * k));
        for chunk in (0..users).collect::<Vec<_>>().chunks(1024) {
            let (mapped, mixture) = travel_side(&weights, &home_preference(&weights, &graphs.batch(chunk)?)?)?;
            let free = weights.users.as_tensor().index_select(&index(chunk.iter().map(|&u| u as u32).collect())?, 0)?;
            user_vectors.extend((mapped + free)?.flatten_all()?.to_vec1::<f32>()?);
            mixtures.extend(mixture.flatten_all()?.to_vec1::<f32>()?);
        }
        let topics = candle_nn::ops::softmax(&weights.topics.as_tensor().matmul(&place_vectors.t()?)?, D::Minus1)?;
        let mut place_values: Vec<f32> = place_vectors.flatten_all()?.to_vec1()?;
        let mut bias: Vec<f32> = weights.bias.as_tensor().flatten_all()?.to_vec1()?;
        let mut dim = d;
        if let Some(base) = input.base {
            (user_vectors, place_values, dim) = base.appended(&user_vectors, &place_values, d);
            bias.iter_mut().enumerate().for_each(|(p, b)| *b += base.bias_of(p) as f32);
        }
        Ok(IntentionModel {
            dim,
            users: user_vectors,
            places: place_values,
            bias,
            mixtures,
            topics: topics.flatten_all()?.to_vec1()?,
            intentions: k,
            losses,
        })
    }

    /// The intention behind recommending `place` to `user`: the one whose share of the user's
    /// mixture times its weight on the place is largest, with that product's share of their
    /// sum over intentions.
    pub fn intention_behind(&self, user: usize, place: usize) -> (usize, f32) {
        let places = self.bias.len();
        let k = self.intentions;
        let parts: Vec<f32> = (0..k).map(|i| self.mixtures[user * k + i] * self.topics[i * places + place]).collect();
        let total: f32 = parts.iter().sum();
        let (best, part) = parts.iter().enumerate().fold((0, f32::MIN), |b, (i, &v)| if v > b.1 { (i, v) } else { b });
        (best, if total > 0.0 { part / total } else { 0.0 })
    }

    /// The places most characteristic of intention `k`, best first: by their weight in it
    /// times the log of how much more it weighs them than the intentions on average (a place
    /// every intention favours alike, say a hub airport, is not characteristic of any).
    pub fn characteristic_places(&self, k: usize, count: usize) -> Vec<usize> {
        let places = self.bias.len();
        let row = &self.topics[k * places..(k + 1) * places];
        let mean =
            |p: usize| (0..self.intentions).map(|i| self.topics[i * places + p]).sum::<f32>() / self.intentions as f32;
        let relevance: Vec<f32> =
            (0..places).map(|p| row[p] * (row[p] / mean(p).max(f32::MIN_POSITIVE)).ln()).collect();
        let mut order: Vec<usize> = (0..places).collect();
        order.sort_by(|&a, &b| relevance[b].total_cmp(&relevance[a]).then(a.cmp(&b)));
        order.truncate(count);
        order
    }
}

/// One training step's loss: BPR on a batch of pairs plus the transfer and topic losses.
#[allow(clippy::too_many_arguments)]
fn step(
    w: &Weights,
    graphs: &HomeGraphs,
    neighbours: &Tensor,
    input: &TrainingData,
    settings: &IntentionSettings,
    pairs: &[(usize, usize)],
    documents: &[((usize, usize), Vec<usize>)],
    rng: &mut SeededRng,
) -> candle_core::Result<Tensor> {
    let places = input.data.pois.len();
    let batch = settings.batch.min(pairs.len()).max(1);
    let (mut rows, mut pos, mut neg) =
        (Vec::with_capacity(batch), Vec::with_capacity(batch), Vec::with_capacity(batch));
    let mut batch_users: Vec<usize> = Vec::new();
    let mut base_pairs = Vec::with_capacity(batch);
    let mut row_of: std::collections::HashMap<usize, u32> = std::collections::HashMap::new();
    for _ in 0..batch {
        let (user, place) = pairs[rng.below(pairs.len())];
        let region = &input.regions.members[input.regions.of[place]];
        let local = rng.next_f64() < settings.region_negatives && region.len() > 1;
        let negative = if local { region[rng.below(region.len())] } else { rng.below(places) };
        let row = *row_of.entry(user).or_insert_with(|| {
            batch_users.push(user);
            batch_users.len() as u32 - 1
        });
        rows.push(row);
        base_pairs.push((user, place, negative));
        pos.push(place as u32);
        neg.push(negative as u32);
    }
    let (mapped_all, _) = travel_side(w, &home_preference(w, &graphs.batch(&batch_users)?)?)?;
    let place_vectors = place_side(w, neighbours)?;
    let (rows, pos, neg) = (index(rows)?, index(pos)?, index(neg)?);
    let user_ids = index(batch_users.iter().map(|&u| u as u32).collect())?;
    let free = w.users.as_tensor().index_select(&user_ids, 0)?.index_select(&rows, 0)?;
    let mapped = mapped_all.index_select(&rows, 0)?;
    let preference = (&mapped + &free)?;
    let bias = w.bias.as_tensor();
    let difference = (place_vectors.index_select(&pos, 0)? - place_vectors.index_select(&neg, 0)?)?;
    let margin = ((preference * difference)?.sum(1)?
        + (bias.index_select(&pos, 0)? - bias.index_select(&neg, 0)?)?.squeeze(1)?)?;
    let margin = match input.base {
        Some(base) => {
            let offsets: Vec<f32> =
                base_pairs.iter().map(|&(u, p, n)| (base.score(u, p) - base.score(u, n)) as f32).collect();
            (margin + Tensor::from_vec(offsets, base_pairs.len(), &Device::Cpu)?)?
        }
        None => margin,
    };
    let bpr = softplus(&margin.neg()?)?.mean_all()?;
    let norms = (free.sqr()?.sum(1)?
        + (w.places.as_tensor().index_select(&pos, 0)?.sqr()?
            + w.places.as_tensor().index_select(&neg, 0)?.sqr()?)?
        .sum(1)?)?
    .mean_all()?;
    let transfer = (mapped - free.detach())?.sqr()?.mean_all()?;
    let topic = topic_loss(w, &place_vectors, documents, places, settings, rng)?;
    ((bpr + (norms * settings.regularisation)?)? + (transfer * settings.transfer_weight)?)?
        + (topic * settings.topic_weight)?
}

/// The neural topic model's loss on a batch of documents: reconstruction of the bag of places
/// from the topic mixture the encoder infers, plus the KL divergence to a standard normal.
fn topic_loss(
    w: &Weights,
    places: &Tensor,
    documents: &[((usize, usize), Vec<usize>)],
    place_count: usize,
    settings: &IntentionSettings,
    rng: &mut SeededRng,
) -> candle_core::Result<Tensor> {
    let batch = 64.min(documents.len());
    if batch == 0 {
        return Tensor::zeros((), DType::F32, &Device::Cpu);
    }
    let k = settings.intentions;
    let mut bag = vec![0f32; batch * place_count];
    for b in 0..batch {
        for &p in &documents[rng.below(documents.len())].1 {
            bag[b * place_count + p] += 1.0;
        }
    }
    let bag = Tensor::from_vec(bag, (batch, place_count), &Device::Cpu)?;
    let hidden = bag.matmul(w.encoder.as_tensor())?.broadcast_add(w.encoder_b.as_tensor())?.tanh()?;
    let mean = hidden.matmul(w.mean.as_tensor())?;
    let log_var = hidden.matmul(w.log_var.as_tensor())?.clamp(-8f32, 8f32)?;
    let noise: Vec<f32> = (0..batch * k)
        .map(|_| {
            // Box–Muller from the seeded generator.
            let (a, b) = (rng.next_f64().max(1e-12), rng.next_f64());
            ((-2.0 * a.ln()).sqrt() * (2.0 * std::f64::consts::PI * b).cos()) as f32
        })
        .collect();
    let noise = Tensor::from_vec(noise, (batch, k), &Device::Cpu)?;
    let z = (&mean + (noise * (&log_var * 0.5)?.exp()?)?)?;
    let mixture = candle_nn::ops::softmax(&z, D::Minus1)?;
    let topic_places = candle_nn::ops::softmax(&w.topics.as_tensor().matmul(&places.t()?)?, D::Minus1)?;
    let reconstruction = (mixture.matmul(&topic_places)? + 1e-10)?.log()?;
    let nll = ((bag * reconstruction)?.sum_all()?.neg()? / batch as f64)?;
    let kl = ((((log_var.exp()? + mean.sqr()?)? - 1.0)? - &log_var)?.sum_all()? * (0.5 / batch as f64))?;
    nll + kl
}

impl Ranker for IntentionModel {
    fn name(&self) -> String {
        "intention".into()
    }

    fn scores(&self, case: &Case, candidates: &[usize]) -> Vec<f64> {
        factor_scores(&self.users, &self.places, &self.bias, self.dim, case.user, candidates)
    }
}
