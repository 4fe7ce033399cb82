//! Prometheus metrics: HTTP requests by route pattern plus pool statistics.

use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};
use conclave_db::Pool;
use prometheus::core::{Collector, Desc};
use prometheus::proto::MetricFamily;
use prometheus::{IntGauge, Opts};

/// Builds the metrics middleware that also serves `GET /metrics`.
pub fn build(pool: Pool) -> anyhow::Result<PrometheusMetrics> {
    let metrics = PrometheusMetricsBuilder::new("conclave")
        .endpoint("/metrics")
        // Unmatched paths (404 scans) would otherwise become label values.
        .mask_unmatched_patterns("UNKNOWN")
        .build()
        .map_err(|e| anyhow::anyhow!("cannot build metrics: {e}"))?;
    metrics
        .registry
        .register(Box::new(PoolCollector::new(pool)?))?;
    Ok(metrics)
}

/// Reads the pool status at scrape time, so no background task is needed.
struct PoolCollector {
    pool: Pool,
    size: IntGauge,
    available: IntGauge,
    waiting: IntGauge,
    max_size: IntGauge,
}

impl PoolCollector {
    fn new(pool: Pool) -> prometheus::Result<Self> {
        let gauge = |name: &str, help: &str| IntGauge::with_opts(Opts::new(name, help));
        Ok(Self {
            pool,
            size: gauge("conclave_db_pool_connections", "Open pooled connections")?,
            available: gauge("conclave_db_pool_available", "Idle pooled connections")?,
            waiting: gauge(
                "conclave_db_pool_waiting",
                "Requests waiting for a connection",
            )?,
            max_size: gauge("conclave_db_pool_max_size", "Configured pool size")?,
        })
    }
}

impl Collector for PoolCollector {
    fn desc(&self) -> Vec<&Desc> {
        [&self.size, &self.available, &self.waiting, &self.max_size]
            .into_iter()
            .flat_map(|g| g.desc())
            .collect()
    }

    fn collect(&self) -> Vec<MetricFamily> {
        let status = self.pool.status();
        self.size.set(status.size as i64);
        self.available.set(status.available as i64);
        self.waiting.set(status.waiting as i64);
        self.max_size.set(status.max_size as i64);
        [&self.size, &self.available, &self.waiting, &self.max_size]
            .into_iter()
            .flat_map(|g| g.collect())
            .collect()
    }
}
