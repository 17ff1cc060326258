//! The bounded solver pool: solver work runs on blocking threads, at most `workers` at a time,
//! with at most `queue` callers waiting for a worker. Past that the caller is told to come back
//! later (`503` + `Retry-After`) instead of joining an unbounded queue.

use crate::problem::ApiError;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// A bounded pool of solver workers.
#[derive(Clone)]
pub struct SolverPool {
    permits: Arc<Semaphore>,
    waiting: Arc<AtomicUsize>,
    workers: usize,
    queue: usize,
}

/// The right to run on one worker; dropping it frees the worker.
pub struct Slot {
    _permit: OwnedSemaphorePermit,
}

/// A place in the pool: a worker already, or a counted place in the bounded queue.
pub enum Ticket {
    /// A worker was free.
    Ready(Slot),
    /// Waiting in the queue (counted until the ticket is used or dropped).
    Waiting(QueuePlace),
}

/// A counted place in the queue; dropping it gives the place back.
pub struct QueuePlace {
    pool: SolverPool,
}

impl Drop for QueuePlace {
    fn drop(&mut self) {
        self.pool.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

/// How full the pool is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolLoad {
    /// Workers.
    pub workers: usize,
    /// Workers busy.
    pub busy: usize,
    /// Callers waiting for a worker.
    pub waiting: usize,
    /// Most callers allowed to wait.
    pub queue: usize,
}

impl SolverPool {
    /// A pool of `workers` (at least 1) with room for `queue` waiting callers.
    pub fn new(workers: usize, queue: usize) -> Self {
        let workers = workers.max(1);
        Self { permits: Arc::new(Semaphore::new(workers)), waiting: Arc::new(AtomicUsize::new(0)), workers, queue }
    }

    /// How full the pool is now.
    pub fn load(&self) -> PoolLoad {
        PoolLoad {
            workers: self.workers,
            busy: self.workers - self.permits.available_permits(),
            waiting: self.waiting.load(Ordering::SeqCst),
            queue: self.queue,
        }
    }

    /// Seconds a refused caller should wait before trying again.
    fn retry_after(&self) -> u64 {
        1 + (self.waiting.load(Ordering::SeqCst) / self.workers) as u64
    }

    /// A worker if one is free, else a place in the queue; refuses at once when the queue is full.
    pub fn enqueue(&self) -> Result<Ticket, ApiError> {
        if let Ok(permit) = self.permits.clone().try_acquire_owned() {
            return Ok(Ticket::Ready(Slot { _permit: permit }));
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(ApiError::overloaded(
                format!("{} workers busy and {} requests waiting; try again later", self.workers, self.queue),
                self.retry_after(),
            ));
        }
        Ok(Ticket::Waiting(QueuePlace { pool: self.clone() }))
    }

    /// A worker if one is free and no caller is waiting for one (jobs take what requests leave).
    pub fn try_slot(&self) -> Option<Slot> {
        if self.waiting.load(Ordering::SeqCst) > 0 {
            return None;
        }
        self.permits.clone().try_acquire_owned().ok().map(|permit| Slot { _permit: permit })
    }

    /// Waits for a worker until `until`; refuses at once when the queue is full.
    pub async fn slot(&self, until: Instant) -> Result<Slot, ApiError> {
        self.enqueue()?.wait(until).await
    }

    /// Runs `work` on a blocking thread while holding `slot`.
    pub async fn run<T: Send + 'static>(slot: Slot, work: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            work()
        })
        .await
        .map_err(|e| ApiError::internal(format!("a solver worker failed: {e}")))
    }

    /// Stops handing out workers: every waiting and future caller is refused.
    pub fn close(&self) {
        self.permits.close();
    }
}

impl Ticket {
    /// The worker, waiting for one until `until` if need be.
    pub async fn wait(self, until: Instant) -> Result<Slot, ApiError> {
        let place = match self {
            Ticket::Ready(slot) => return Ok(slot),
            Ticket::Waiting(place) => place,
        };
        let pool = place.pool.clone();
        let wait = tokio::time::timeout_at(until.into(), pool.permits.clone().acquire_owned()).await;
        drop(place);
        match wait {
            Ok(Ok(permit)) => Ok(Slot { _permit: permit }),
            Ok(Err(_closed)) => Err(ApiError::overloaded("the server is shutting down", 5)),
            Err(_elapsed) => Err(ApiError::overloaded(
                "no solver worker became free before the request's deadline",
                pool.retry_after(),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn refuses_beyond_workers_plus_queue() {
        let pool = SolverPool::new(1, 1);
        let busy = pool.slot(Instant::now()).await.unwrap();
        assert_eq!(pool.load().busy, 1);
        let waiter = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.slot(Instant::now() + Duration::from_secs(5)).await.is_ok() })
        };
        while pool.load().waiting == 0 {
            tokio::task::yield_now().await;
        }
        let refused = pool.slot(Instant::now() + Duration::from_secs(5)).await.err().unwrap();
        assert_eq!(refused.status.as_u16(), 503);
        assert!(refused.retry_after.is_some());
        drop(busy);
        assert!(waiter.await.unwrap(), "the waiting caller gets the freed worker");
        let late = pool.clone();
        let _held = late.slot(Instant::now()).await.unwrap();
        let timed_out = pool.slot(Instant::now() + Duration::from_millis(20)).await.err().unwrap();
        assert_eq!(timed_out.status.as_u16(), 503, "a deadline passing in the queue is a 503 too");
        assert_eq!(pool.load().waiting, 0);
    }
}
