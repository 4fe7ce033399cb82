//! The tariff resource and the `require_feature` check (rules.md §8.3).

use std::collections::BTreeMap;

use crate::tariff::feature::{FeatureId, ModuleId, QualifiedFeature};

/// The modules the server knows and, per module, the features the tariff
/// resource may list (static configuration; must contain `core::call_in`).
pub type ModuleCatalogue = BTreeMap<ModuleId, Vec<FeatureId>>;

/// The `modules` map of a tariff resource: each listed module with the
/// features that remain enabled.
pub type TariffModules = BTreeMap<ModuleId, Vec<FeatureId>>;

/// The effective disabled features: the tariff's ∪ the global setting
/// `defaults.disabled_features`, without duplicates, tariff ones first.
pub fn effective_disabled_features(
    tariff: &[QualifiedFeature],
    global: &[QualifiedFeature],
) -> Vec<QualifiedFeature> {
    let mut all: Vec<QualifiedFeature> = Vec::with_capacity(tariff.len() + global.len());
    for feature in tariff.iter().chain(global) {
        if !all.contains(feature) {
            all.push(feature.clone());
        }
    }
    all
}

/// Builds the `modules` map: modules in `disabled_modules` are omitted, every
/// other catalogue module is listed with its features minus the disabled
/// ones (catalogue order kept).
pub fn tariff_modules(
    catalogue: &ModuleCatalogue,
    disabled_modules: &[ModuleId],
    disabled_features: &[QualifiedFeature],
) -> TariffModules {
    catalogue
        .iter()
        .filter(|(module, _)| !disabled_modules.contains(module))
        .map(|(module, features)| {
            let enabled = features
                .iter()
                .filter(|feature| {
                    !disabled_features
                        .iter()
                        .any(|d| d.module == *module && d.feature == **feature)
                })
                .cloned()
                .collect();
            (module.clone(), enabled)
        })
        .collect()
}

/// Why a feature is unavailable, in check order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FeatureDenied {
    /// Disabled globally (403 `feature_disabled`).
    #[error("The feature \"{}\" is disabled", .0.feature)]
    Disabled(QualifiedFeature),
    /// Disabled by the room creator's tariff (403 `feature_disabled_by_tariff`).
    #[error("The user's tariff does not include the {} feature", .0.feature)]
    DisabledByTariff(QualifiedFeature),
}

/// `require_feature`: the global setting first, then the **room creator's**
/// tariff. Only the feature lists are consulted, as upstream does.
pub fn require_feature(
    feature: &QualifiedFeature,
    global_disabled: &[QualifiedFeature],
    tariff_disabled: &[QualifiedFeature],
) -> Result<(), FeatureDenied> {
    if global_disabled.contains(feature) {
        return Err(FeatureDenied::Disabled(feature.clone()));
    }
    if tariff_disabled.contains(feature) {
        return Err(FeatureDenied::DisabledByTariff(feature.clone()));
    }
    Ok(())
}
