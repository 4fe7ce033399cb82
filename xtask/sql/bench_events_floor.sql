-- The floor of `cargo xtask bench-events`: one hand-written statement that
-- returns what one `GET /v1/events` page shows, in the same order: the
-- visible events (rules.md §6.1) overlapping [time_min, time_max] with
-- their rooms, the reader's invite status and favourite flag, creator and
-- editor profiles, shared folders, and each series' exceptions with their
-- creators. pgbench binds :user, :tenant, :time_min and :time_max (-D).
WITH ids AS (
    -- Choosing the page sorts only narrow keys (an in-memory sort for
    -- 100,000 events); whole rows are read for the 100 chosen ones.
    SELECT e.id FROM events e
    LEFT JOIN event_invites i ON i.event_id = e.id AND i.invitee = :user
    WHERE e.tenant_id = :tenant
      AND e.created_by IN (SELECT id FROM users WHERE disabled_since IS NULL)
      AND (e.created_by = :user OR i.id IS NOT NULL)
      AND (e.starts_at BETWEEN :time_min AND :time_max
           OR e.ends_at BETWEEN :time_min AND :time_max
           OR (e.starts_at <= :time_min AND e.ends_at >= :time_min)
           OR (e.starts_at <= :time_max AND e.ends_at >= :time_max))
    ORDER BY e.starts_at NULLS FIRST, e.created_at, e.id
    LIMIT 100
), page AS (
    SELECT e.*, r.password AS room_password, r.waiting_room, r.e2e_encryption,
           i.status AS invite_status, f.user_id IS NOT NULL AS is_favorite
    FROM ids
    JOIN events e ON e.id = ids.id
    JOIN rooms r ON r.id = e.room
    LEFT JOIN event_invites i ON i.event_id = e.id AND i.invitee = :user
    LEFT JOIN event_favorites f ON f.event_id = e.id AND f.user_id = :user
)
SELECT p.*,
       cu.email AS creator_email, cu.title AS creator_title, cu.firstname AS creator_firstname,
       cu.lastname AS creator_lastname, cu.display_name AS creator_display_name,
       cu.avatar_url AS creator_avatar_url,
       uu.email AS editor_email, uu.title AS editor_title, uu.firstname AS editor_firstname,
       uu.lastname AS editor_lastname, uu.display_name AS editor_display_name,
       uu.avatar_url AS editor_avatar_url,
       sf.read_url, sf.read_password, sf.write_url, sf.write_password,
       x.exceptions
FROM page p
JOIN users cu ON cu.id = p.created_by
JOIN users uu ON uu.id = p.updated_by
LEFT JOIN event_shared_folders sf ON sf.event_id = p.id
LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object('exception', ex, 'creator_email', xu.email,
                                      'creator_display_name', xu.display_name,
                                      'creator_firstname', xu.firstname,
                                      'creator_lastname', xu.lastname,
                                      'creator_avatar_url', xu.avatar_url)
                    ORDER BY ex.exception_date, ex.id) AS exceptions
    FROM event_exceptions ex
    JOIN users xu ON xu.id = ex.created_by
    WHERE p.is_recurring AND ex.event_id = p.id
) x ON true
ORDER BY p.starts_at NULLS FIRST, p.created_at, p.id;
