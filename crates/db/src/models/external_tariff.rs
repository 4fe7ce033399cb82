//! `external_tariffs`: maps identity-provider tariff ids to tariffs.

use conclave_domain::ids::TariffId;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::schema::external_tariffs;
use crate::{DbConnection, Result};

/// A row of `external_tariffs`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = external_tariffs, check_for_backend(diesel::pg::Pg))]
pub struct ExternalTariff {
    /// The tariff id from the identity provider's claim (primary key).
    pub external_id: String,
    /// The tariff it maps to.
    #[diesel(deserialize_as = Uuid, serialize_as = Uuid)]
    pub tariff_id: TariffId,
}

impl ExternalTariff {
    /// Inserts the mapping; an external id that is already mapped gives
    /// `UniqueViolation`, an unknown tariff `ForeignKeyViolation`.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<ExternalTariff> {
        Ok(diesel::insert_into(external_tariffs::table)
            .values(self)
            .returning(ExternalTariff::as_select())
            .get_result(conn)
            .await?)
    }

    /// Looks a mapping up by external id.
    pub async fn find(
        conn: &mut DbConnection,
        external_id: &str,
    ) -> Result<Option<ExternalTariff>> {
        Ok(external_tariffs::table
            .find(external_id)
            .select(ExternalTariff::as_select())
            .first(conn)
            .await
            .optional()?)
    }

    /// The external ids of a tariff, sorted.
    pub async fn list_for_tariff(conn: &mut DbConnection, tariff: TariffId) -> Result<Vec<String>> {
        Ok(external_tariffs::table
            .filter(external_tariffs::tariff_id.eq(Uuid::from(tariff)))
            .order(external_tariffs::external_id)
            .select(external_tariffs::external_id)
            .load(conn)
            .await?)
    }

    /// Removes the mappings of the given external ids of a tariff and returns
    /// how many were removed.
    pub async fn delete_many(
        conn: &mut DbConnection,
        tariff: TariffId,
        external_ids: &[String],
    ) -> Result<usize> {
        Ok(diesel::delete(
            external_tariffs::table
                .filter(external_tariffs::tariff_id.eq(Uuid::from(tariff)))
                .filter(external_tariffs::external_id.eq_any(external_ids)),
        )
        .execute(conn)
        .await?)
    }
}
