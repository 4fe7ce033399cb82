//! `event_exceptions`: per-occurrence overrides of a recurring event
//! (rules.md §5.5, §5.6).

use chrono::{DateTime, Utc};
use conclave_domain::exception::EventException as DomainException;
use conclave_domain::ids::{EventExceptionId, EventId, UserId};
use conclave_domain::time::{DateTimeTz, UnknownTimeZone, parse_zone};
use diesel::prelude::*;
use diesel_async::{AsyncConnection, RunQueryDsl};
use uuid::Uuid;

use crate::enums::{EventExceptionKind, SqlEventExceptionKind};
use crate::schema::event_exceptions;
use crate::{DbConnection, DbError, Result};

/// A row of `event_exceptions`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = event_exceptions, check_for_backend(diesel::pg::Pg))]
pub struct EventException {
    /// Primary key.
    #[diesel(deserialize_as = Uuid)]
    pub id: EventExceptionId,
    /// The series.
    #[diesel(deserialize_as = Uuid)]
    pub event_id: EventId,
    /// The original UTC start of the occurrence (the instance id).
    pub exception_date: DateTime<Utc>,
    /// The series' start zone when the exception was written.
    pub exception_date_tz: String,
    /// Who wrote the exception (shown as "updated by").
    #[diesel(deserialize_as = Uuid)]
    pub created_by: UserId,
    /// When it was written (shown as "updated at").
    pub created_at: DateTime<Utc>,
    /// `modified` or `cancelled`.
    pub kind: EventExceptionKind,
    /// Overridden title.
    pub title: Option<String>,
    /// Overridden description.
    pub description: Option<String>,
    /// Overridden all-day flag.
    pub is_all_day: Option<bool>,
    /// Overridden start.
    pub starts_at: Option<DateTime<Utc>>,
    /// Zone of the overridden start.
    pub starts_at_tz: Option<String>,
    /// Overridden end.
    pub ends_at: Option<DateTime<Utc>>,
    /// Zone of the overridden end.
    pub ends_at_tz: Option<String>,
}

/// Insert form of [`EventException`]; `None` overrides stay NULL.
#[derive(Debug, Clone, PartialEq, Eq, Insertable)]
#[diesel(table_name = event_exceptions)]
pub struct NewEventException {
    /// The series.
    #[diesel(serialize_as = Uuid)]
    pub event_id: EventId,
    /// The original UTC start of the occurrence.
    pub exception_date: DateTime<Utc>,
    /// The series' start zone.
    pub exception_date_tz: String,
    /// The acting user.
    #[diesel(serialize_as = Uuid)]
    pub created_by: UserId,
    /// `modified` or `cancelled`.
    #[diesel(serialize_as = SqlEventExceptionKind)]
    pub kind: EventExceptionKind,
    /// Overridden title.
    pub title: Option<String>,
    /// Overridden description.
    pub description: Option<String>,
    /// Overridden all-day flag.
    pub is_all_day: Option<bool>,
    /// Overridden start.
    pub starts_at: Option<DateTime<Utc>>,
    /// Zone of the overridden start.
    pub starts_at_tz: Option<String>,
    /// Overridden end.
    pub ends_at: Option<DateTime<Utc>>,
    /// Zone of the overridden end.
    pub ends_at_tz: Option<String>,
}

/// Changes to an [`EventException`]. `None` leaves a column unchanged; for
/// the nullable overrides `Some(None)` clears one (the API never does,
/// rules.md §5.6, but the grid rewrite of R-10 needs the zone column).
#[derive(Debug, Clone, Default, PartialEq, Eq, AsChangeset)]
#[diesel(table_name = event_exceptions)]
pub struct UpdateEventException {
    /// New kind.
    #[diesel(serialize_as = SqlEventExceptionKind)]
    pub kind: Option<EventExceptionKind>,
    /// New zone of the original start.
    pub exception_date_tz: Option<String>,
    /// New title.
    pub title: Option<Option<String>>,
    /// New description.
    pub description: Option<Option<String>>,
    /// New all-day flag.
    pub is_all_day: Option<Option<bool>>,
    /// New start.
    pub starts_at: Option<Option<DateTime<Utc>>>,
    /// New start zone.
    pub starts_at_tz: Option<Option<String>>,
    /// New end.
    pub ends_at: Option<Option<DateTime<Utc>>>,
    /// New end zone.
    pub ends_at_tz: Option<Option<String>>,
}

impl UpdateEventException {
    fn is_empty(&self) -> bool {
        *self == UpdateEventException::default()
    }
}

/// What [`NewEventException::upsert`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExceptionUpsert {
    /// No exception existed for the occurrence; this one was inserted.
    Inserted(EventException),
    /// The existing exception was updated.
    Updated(EventException),
}

impl EventException {
    /// The row in domain terms. Fails only on a stored zone name that is
    /// not an IANA zone, which callers treat as corrupt data.
    pub fn to_domain(&self) -> std::result::Result<DomainException, UnknownTimeZone> {
        let zoned = |at: Option<DateTime<Utc>>, tz: Option<&str>| match (at, tz) {
            (Some(at), Some(tz)) => DateTimeTz::from_parts(at, tz).map(Some),
            _ => Ok(None),
        };
        Ok(DomainException {
            id: self.id,
            exception_date: self.exception_date,
            exception_date_tz: parse_zone(&self.exception_date_tz)?,
            kind: self.kind,
            title: self.title.clone(),
            description: self.description.clone(),
            is_all_day: self.is_all_day,
            starts_at: zoned(self.starts_at, self.starts_at_tz.as_deref())?,
            ends_at: zoned(self.ends_at, self.ends_at_tz.as_deref())?,
            created_by: self.created_by,
            created_at: self.created_at,
        })
    }

    /// Looks an exception up by id.
    pub async fn get(conn: &mut DbConnection, id: EventExceptionId) -> Result<EventException> {
        Ok(event_exceptions::table
            .find(Uuid::from(id))
            .select(EventException::as_select())
            .get_result(conn)
            .await?)
    }

    /// The exception of the occurrence that originally started at `date`
    /// (the oldest, should rows with different zones exist).
    pub async fn find_by_date(
        conn: &mut DbConnection,
        event_id: EventId,
        date: DateTime<Utc>,
    ) -> Result<Option<EventException>> {
        Ok(event_exceptions::table
            .filter(event_exceptions::event_id.eq(Uuid::from(event_id)))
            .filter(event_exceptions::exception_date.eq(date))
            .select(EventException::as_select())
            .order((
                event_exceptions::created_at.asc(),
                event_exceptions::id.asc(),
            ))
            .first(conn)
            .await
            .optional()?)
    }

    /// Like [`EventException::find_by_date`], or `NotFound`.
    pub async fn get_by_date(
        conn: &mut DbConnection,
        event_id: EventId,
        date: DateTime<Utc>,
    ) -> Result<EventException> {
        EventException::find_by_date(conn, event_id, date)
            .await?
            .ok_or(DbError::NotFound)
    }

    /// All exceptions of a series, by original start.
    pub async fn list_for_event(
        conn: &mut DbConnection,
        event_id: EventId,
    ) -> Result<Vec<EventException>> {
        EventException::list_for_events(conn, &[event_id]).await
    }

    /// All exceptions of several series (a listing page), by event and
    /// original start.
    pub async fn list_for_events(
        conn: &mut DbConnection,
        event_ids: &[EventId],
    ) -> Result<Vec<EventException>> {
        let ids: Vec<Uuid> = event_ids.iter().copied().map(Uuid::from).collect();
        Ok(event_exceptions::table
            .filter(event_exceptions::event_id.eq_any(ids))
            .select(EventException::as_select())
            .order((
                event_exceptions::event_id.asc(),
                event_exceptions::exception_date.asc(),
                event_exceptions::id.asc(),
            ))
            .load(conn)
            .await?)
    }

    /// Applies `changes`; an empty change set just reads the row.
    pub async fn update(
        conn: &mut DbConnection,
        id: EventExceptionId,
        changes: UpdateEventException,
    ) -> Result<EventException> {
        if changes.is_empty() {
            return EventException::get(conn, id).await;
        }
        Ok(diesel::update(event_exceptions::table.find(Uuid::from(id)))
            .set(changes)
            .returning(EventException::as_select())
            .get_result(conn)
            .await?)
    }

    /// Deletes the listed exceptions of the series; returns how many went.
    pub async fn delete_by_ids(
        conn: &mut DbConnection,
        event_id: EventId,
        ids: &[EventExceptionId],
    ) -> Result<usize> {
        let ids: Vec<Uuid> = ids.iter().copied().map(Uuid::from).collect();
        Ok(diesel::delete(
            event_exceptions::table
                .filter(event_exceptions::event_id.eq(Uuid::from(event_id)))
                .filter(event_exceptions::id.eq_any(ids)),
        )
        .execute(conn)
        .await?)
    }

    /// Deletes every exception of the series (it stopped being recurring).
    pub async fn delete_for_event(conn: &mut DbConnection, event_id: EventId) -> Result<usize> {
        Ok(diesel::delete(
            event_exceptions::table.filter(event_exceptions::event_id.eq(Uuid::from(event_id))),
        )
        .execute(conn)
        .await?)
    }

    /// Deletes the exceptions whose original start is not in `keep` (the
    /// occurrences of the changed series, R-10); returns how many went.
    pub async fn delete_except_dates(
        conn: &mut DbConnection,
        event_id: EventId,
        keep: &[DateTime<Utc>],
    ) -> Result<usize> {
        Ok(diesel::delete(
            event_exceptions::table
                .filter(event_exceptions::event_id.eq(Uuid::from(event_id)))
                .filter(event_exceptions::exception_date.ne_all(keep)),
        )
        .execute(conn)
        .await?)
    }

    /// Rewrites `exception_date_tz` of every exception of the series (the
    /// series' start zone changed, R-10); returns how many rows changed.
    pub async fn set_zone_for_event(
        conn: &mut DbConnection,
        event_id: EventId,
        zone: &str,
    ) -> Result<usize> {
        Ok(diesel::update(
            event_exceptions::table
                .filter(event_exceptions::event_id.eq(Uuid::from(event_id)))
                .filter(event_exceptions::exception_date_tz.ne(zone)),
        )
        .set(event_exceptions::exception_date_tz.eq(zone))
        .execute(conn)
        .await?)
    }
}

impl NewEventException {
    /// Inserts the exception; a second one for the same (event, date, zone)
    /// is a `UniqueViolation`.
    pub async fn insert(self, conn: &mut DbConnection) -> Result<EventException> {
        Ok(diesel::insert_into(event_exceptions::table)
            .values(self)
            .returning(EventException::as_select())
            .get_result(conn)
            .await?)
    }

    /// Instance PATCH (rules.md §5.6): inserts the exception, or, when the
    /// occurrence already has one, sets its kind and only the overrides that
    /// are `Some` here. `created_by` and `created_at` of an existing row stay.
    pub async fn upsert(self, conn: &mut DbConnection) -> Result<ExceptionUpsert> {
        conn.transaction::<_, DbError, _>(async |conn| {
            let existing: Option<Uuid> = event_exceptions::table
                .filter(event_exceptions::event_id.eq(Uuid::from(self.event_id)))
                .filter(event_exceptions::exception_date.eq(self.exception_date))
                .filter(event_exceptions::exception_date_tz.eq(&self.exception_date_tz))
                .select(event_exceptions::id)
                .for_update()
                .first(conn)
                .await
                .optional()?;
            match existing {
                None => Ok(ExceptionUpsert::Inserted(self.insert(conn).await?)),
                Some(id) => {
                    let changes = self.into_present_changes();
                    let row = EventException::update(conn, id.into(), changes).await?;
                    Ok(ExceptionUpsert::Updated(row))
                }
            }
        })
        .await
    }

    /// The kind plus every override that is set.
    fn into_present_changes(self) -> UpdateEventException {
        UpdateEventException {
            kind: Some(self.kind),
            exception_date_tz: None,
            title: self.title.map(Some),
            description: self.description.map(Some),
            is_all_day: self.is_all_day.map(Some),
            starts_at: self.starts_at.map(Some),
            starts_at_tz: self.starts_at_tz.map(Some),
            ends_at: self.ends_at.map(Some),
            ends_at_tz: self.ends_at_tz.map(Some),
        }
    }
}
