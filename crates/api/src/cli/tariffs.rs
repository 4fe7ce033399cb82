//! `conclave tariffs …` (rules.md §8.6): quotas are validated strictly (only
//! the three known keys, unsigned values), module and feature ids too.

use std::io::Write;

use clap::{Args, Subcommand};
use conclave_db::DbConnection;
use conclave_db::models::external_tariff::ExternalTariff;
use conclave_db::models::tariff::{NewTariff, Tariff, UpdateTariff};
use conclave_db::paging::PageRequest;
use conclave_domain::tariff::feature::{
    read_disabled_features, read_disabled_modules, strict_feature, strict_module,
};
use conclave_domain::tariff::quota::{Quotas, parse_quota_setting};
use diesel_async::AsyncConnection;

use super::CliResult;

/// Tariff commands.
#[derive(Debug, Subcommand)]
pub enum TariffCommand {
    /// List all tariffs.
    List,
    /// Create a tariff.
    Create {
        /// Unique name.
        name: String,
        /// Settings of the new tariff.
        #[command(flatten)]
        edit: TariffEdit,
    },
    /// Change a tariff.
    Edit {
        /// The tariff's name.
        name: String,
        /// Rename it.
        #[arg(long)]
        rename: Option<String>,
        /// What to change.
        #[command(flatten)]
        edit: TariffEdit,
    },
    /// Delete a tariff that no user has.
    Delete {
        /// The tariff's name.
        name: String,
    },
}

/// Additions and removals of quotas, disabled modules and features and
/// external ids; each flag may repeat.
#[derive(Debug, Default, Args)]
pub struct TariffEdit {
    /// Set a quota: `max_storage=1073741824`.
    #[arg(long = "quota", value_name = "KEY=VALUE")]
    pub set_quotas: Vec<String>,
    /// Remove a quota.
    #[arg(long = "remove-quota", value_name = "KEY")]
    pub remove_quotas: Vec<String>,
    /// Disable a module.
    #[arg(long = "disable-module")]
    pub disable_modules: Vec<String>,
    /// Re-enable a module.
    #[arg(long = "enable-module")]
    pub enable_modules: Vec<String>,
    /// Disable a feature (`module::feature`).
    #[arg(long = "disable-feature")]
    pub disable_features: Vec<String>,
    /// Re-enable a feature.
    #[arg(long = "enable-feature")]
    pub enable_features: Vec<String>,
    /// Map an external tariff id to this tariff.
    #[arg(long = "add-external-id")]
    pub add_external_ids: Vec<String>,
    /// Remove an external tariff id.
    #[arg(long = "remove-external-id")]
    pub remove_external_ids: Vec<String>,
}

/// The tariff columns after an edit.
struct Edited {
    quotas: serde_json::Value,
    disabled_modules: Vec<String>,
    disabled_features: Vec<String>,
}

impl TariffEdit {
    fn apply(
        &self,
        quotas: Quotas,
        modules: Vec<String>,
        features: Vec<String>,
    ) -> anyhow::Result<Edited> {
        let mut quotas = quotas;
        for setting in &self.set_quotas {
            let (key, value) = setting
                .split_once('=')
                .ok_or_else(|| anyhow::anyhow!("quota {setting:?} is not KEY=VALUE"))?;
            let (key, value) = parse_quota_setting(key, value)?;
            quotas.set(key, Some(value));
        }
        for key in &self.remove_quotas {
            let (key, _) = parse_quota_setting(key, "0")?;
            quotas.set(key, None);
        }
        let modules = edit_list(modules, &self.disable_modules, &self.enable_modules, |m| {
            Ok(strict_module(m)?.as_str().to_owned())
        })?;
        let features = edit_list(
            features,
            &self.disable_features,
            &self.enable_features,
            |f| Ok(strict_feature(f)?.to_string()),
        )?;
        Ok(Edited {
            quotas: serde_json::to_value(quotas)?,
            disabled_modules: modules,
            disabled_features: features,
        })
    }
}

fn edit_list(
    mut current: Vec<String>,
    add: &[String],
    remove: &[String],
    parse: impl Fn(&str) -> anyhow::Result<String>,
) -> anyhow::Result<Vec<String>> {
    for item in add {
        let item = parse(item)?;
        if !current.contains(&item) {
            current.push(item);
        }
    }
    let remove = remove
        .iter()
        .map(|r| parse(r))
        .collect::<anyhow::Result<Vec<_>>>()?;
    current.retain(|item| !remove.contains(item));
    Ok(current)
}

/// Runs a tariff command.
pub async fn run(cmd: TariffCommand, conn: &mut DbConnection, out: &mut dyn Write) -> CliResult {
    match cmd {
        TariffCommand::List => {
            let page = Tariff::list(conn, PageRequest::new(1, i64::MAX)).await?;
            for tariff in page.items {
                let external = ExternalTariff::list_for_tariff(conn, tariff.id).await?;
                writeln!(out, "{}", describe(&tariff, &external))?;
            }
        }
        TariffCommand::Create { name, edit } => {
            let edited = edit.apply(Quotas::default(), Vec::new(), Vec::new())?;
            let tariff = conn
                .transaction::<_, anyhow::Error, _>(async |conn| {
                    let tariff = NewTariff {
                        name,
                        quotas: edited.quotas,
                        disabled_modules: edited.disabled_modules,
                        disabled_features: edited.disabled_features,
                    }
                    .insert(conn)
                    .await?;
                    sync_external_ids(conn, &tariff, &edit).await?;
                    Ok(tariff)
                })
                .await?;
            writeln!(out, "created tariff {} ({})", tariff.name, tariff.id)?;
        }
        TariffCommand::Edit { name, rename, edit } => {
            let tariff = conn
                .transaction::<_, anyhow::Error, _>(async |conn| {
                    let tariff = Tariff::get_by_name(conn, &name).await?;
                    let quotas: Quotas = serde_json::from_value(tariff.quotas.clone())?;
                    let edited = edit.apply(
                        quotas,
                        strings(read_disabled_modules(&tariff.disabled_modules)),
                        strings(read_disabled_features(&tariff.disabled_features)),
                    )?;
                    let changes = UpdateTariff {
                        name: rename,
                        quotas: Some(edited.quotas),
                        disabled_modules: Some(edited.disabled_modules),
                        disabled_features: Some(edited.disabled_features),
                    };
                    let tariff = Tariff::update(conn, tariff.id, changes).await?;
                    sync_external_ids(conn, &tariff, &edit).await?;
                    Ok(tariff)
                })
                .await?;
            writeln!(out, "updated tariff {} ({})", tariff.name, tariff.id)?;
        }
        TariffCommand::Delete { name } => {
            let tariff = Tariff::get_by_name(conn, &name).await?;
            Tariff::delete(conn, tariff.id).await.map_err(|e| {
                anyhow::anyhow!("cannot delete tariff {name}: {e} (users still have it)")
            })?;
            writeln!(out, "deleted tariff {name}")?;
        }
    }
    Ok(())
}

async fn sync_external_ids(
    conn: &mut DbConnection,
    tariff: &Tariff,
    edit: &TariffEdit,
) -> anyhow::Result<()> {
    for external_id in &edit.add_external_ids {
        ExternalTariff {
            external_id: external_id.clone(),
            tariff_id: tariff.id,
        }
        .insert(conn)
        .await?;
    }
    if !edit.remove_external_ids.is_empty() {
        ExternalTariff::delete_many(conn, tariff.id, &edit.remove_external_ids).await?;
    }
    Ok(())
}

fn strings<T: ToString>(items: Vec<T>) -> Vec<String> {
    items.iter().map(ToString::to_string).collect()
}

fn describe(tariff: &Tariff, external: &[String]) -> String {
    format!(
        "{}\t{}\tquotas={}\tdisabled_modules={:?}\tdisabled_features={:?}\texternal_ids={:?}",
        tariff.id,
        tariff.name,
        tariff.quotas,
        strings(read_disabled_modules(&tariff.disabled_modules)),
        strings(read_disabled_features(&tariff.disabled_features)),
        external,
    )
}
