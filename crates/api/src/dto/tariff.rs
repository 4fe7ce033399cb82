//! The tariff resource (api.md §6.3, rules.md §8.3).

use std::collections::BTreeMap;

use conclave_db::models::tariff::Tariff;
use conclave_domain::ids::TariffId;
use conclave_domain::tariff::feature::{read_disabled_features, read_disabled_modules};
use conclave_domain::tariff::quota::Quotas;
use conclave_domain::tariff::resource::{
    ModuleCatalogue, effective_disabled_features, tariff_modules,
};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;

/// The features of one enabled module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TariffModuleResource {
    /// Enabled feature ids.
    pub features: Vec<String>,
}

/// A tariff as clients see it: quotas and the enabled modules and features.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct TariffResource {
    /// The tariff id.
    #[schema(value_type = uuid::Uuid)]
    pub id: TariffId,
    /// The tariff name.
    pub name: String,
    /// Quota name → limit.
    pub quotas: BTreeMap<String, u64>,
    /// Module id → its enabled features.
    pub modules: BTreeMap<String, TariffModuleResource>,
}

impl TariffResource {
    /// Builds the resource of `tariff` with the module catalogue and the
    /// globally disabled features.
    pub fn build(
        tariff: &Tariff,
        catalogue: &ModuleCatalogue,
        global_disabled: &[conclave_domain::tariff::feature::QualifiedFeature],
    ) -> Result<Self, ApiError> {
        let quotas: Quotas =
            serde_json::from_value(tariff.quotas.clone()).map_err(ApiError::internal)?;
        let disabled = effective_disabled_features(
            &read_disabled_features(&tariff.disabled_features),
            global_disabled,
        );
        let modules = tariff_modules(
            catalogue,
            &read_disabled_modules(&tariff.disabled_modules),
            &disabled,
        );
        Ok(Self {
            id: tariff.id,
            name: tariff.name.clone(),
            // Unknown keys are echoed, as upstream's catch-all quota type does.
            quotas: BTreeMap::from(quotas),
            modules: modules
                .into_iter()
                .map(|(module, features)| {
                    let features = features.iter().map(|f| f.as_str().to_owned()).collect();
                    (
                        module.as_str().to_owned(),
                        TariffModuleResource { features },
                    )
                })
                .collect(),
        })
    }
}
