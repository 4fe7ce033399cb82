//! User and email invites (rules.md §7.3–§7.8; ).

use chrono::{DateTime, TimeDelta, Utc};
use conclave_domain::access::{Revoke, Subject};
use conclave_domain::email::Email;
use conclave_domain::ids::{EventId, RoomId, UserId};
use conclave_domain::invite::answer::{
    InviteAnswer, NewEventInvite, NoInvite, UserInvitePlan, answer_invite, count_pending,
    may_change_invite_role, plan_uninvite, plan_user_invite, settable_through_api,
    should_send_uninvite_mail,
};
use conclave_domain::invite::email::{
    EmailInvite, EmailInviteFollowUp, EmailInvitePlan, EmailLookup, migrate_email_invite,
    plan_email_invite,
};
use conclave_domain::invite::{EmailInviteRole, EventInviteStatus, InviteRole};

use EventInviteStatus::{Accepted, Declined, Pending, Tentative};

fn now() -> DateTime<Utc> {
    "2024-07-20T14:16:19Z".parse().unwrap()
}

#[test]
fn any_status_can_be_overwritten_by_the_invitee() {
    for current in EventInviteStatus::ALL {
        assert_eq!(
            answer_invite(Some(*current), InviteAnswer::Accept),
            Ok(Accepted)
        );
        assert_eq!(
            answer_invite(Some(*current), InviteAnswer::Decline),
            Ok(Declined)
        );
    }
    assert_eq!(answer_invite(None, InviteAnswer::Accept), Err(NoInvite));
    assert_eq!(answer_invite(None, InviteAnswer::Decline), Err(NoInvite));
}

#[test]
fn tentative_and_pending_cannot_be_set_through_the_api() {
    let check = |s, want| assert_eq!(settable_through_api(s), want, "{s}");
    check(Pending, false);
    check(Tentative, false);
    check(Accepted, true);
    check(Declined, true);
}

#[test]
fn user_invite_plans() {
    let (event, creator, invitee, actor) = (
        EventId::generate(),
        UserId::generate(),
        UserId::generate(),
        UserId::generate(),
    );
    assert_eq!(
        plan_user_invite(event, creator, creator, None, actor),
        UserInvitePlan::InviteeIsCreator
    );
    let check = |role: Option<InviteRole>, want: InviteRole| {
        let plan = plan_user_invite(event, creator, invitee, role, actor);
        let want = UserInvitePlan::Insert(NewEventInvite {
            event_id: event,
            invitee,
            role: want,
            created_by: actor,
            created_at: None,
            status: Pending,
        });
        assert_eq!(plan, want);
    };
    check(None, InviteRole::User);
    check(Some(InviteRole::Moderator), InviteRole::Moderator);
}

#[test]
fn only_the_creator_changes_roles() {
    let (a, b) = (UserId::generate(), UserId::generate());
    assert!(may_change_invite_role(a, a));
    assert!(!may_change_invite_role(b, a));
}

#[test]
fn uninvite_deletes_the_invitees_favourite_and_rules() {
    let (event, room, invitee) = (EventId::generate(), RoomId::generate(), UserId::generate());
    let plan = plan_uninvite(event, room, invitee);
    assert_eq!(plan.invite, (event, invitee));
    assert_eq!(
        plan.favorite,
        (invitee, event),
        "R-18: the invitee's favourite"
    );
    let [Revoke::SubjectOnResources { subject, resources }] = plan.access.revokes.as_slice() else {
        panic!("one subject revocation expected: {:?}", plan.access.revokes)
    };
    assert_eq!(*subject, Subject::User(invitee));
    let roots: Vec<_> = resources.iter().map(|r| r.path().to_owned()).collect();
    assert_eq!(
        roots,
        [
            format!("/events/{event}"),
            format!("/users/me/event_favorites/{event}"),
            format!("/rooms/{room}"),
        ]
    );
}

#[test]
fn uninvite_mail_only_for_events_that_have_not_ended() {
    let check = |suppressed, end: Option<i64>, want| {
        let end = end.map(|s| now() + TimeDelta::seconds(s));
        assert_eq!(
            should_send_uninvite_mail(suppressed, end, now()),
            want,
            "{suppressed} {end:?}"
        );
    };
    check(false, None, true);
    check(false, Some(60), true);
    check(false, Some(0), true);
    check(false, Some(-60), false);
    check(true, Some(60), false);
    check(true, None, false);
}

#[test]
fn pending_count_counts_only_pending_rows() {
    assert_eq!(
        count_pending([Pending, Accepted, Pending, Tentative, Declined]),
        2
    );
    assert_eq!(count_pending([]), 0);
}

fn lookup(user: Option<UserId>, known: bool, external: bool, suppressed: bool) -> EmailLookup {
    EmailLookup {
        active_user: user,
        directory_knows: known,
        allow_external: external,
        notifications_suppressed: suppressed,
    }
}

#[test]
fn email_invites_resolve_per_the_rules() {
    let (event, creator, actor, user) = (
        EventId::generate(),
        UserId::generate(),
        UserId::generate(),
        UserId::generate(),
    );
    let plan = |role, l| plan_email_invite(event, creator, actor, role, l);
    let email = |role, follow_up| EmailInvitePlan::Email { role, follow_up };
    use EmailInviteFollowUp::{RoomCode, UnregisteredMail};
    use EmailInviteRole::{Guest, Moderator};

    // A registered user: a user invite with the mapped role.
    match plan(Some(Moderator), lookup(Some(user), false, false, false)) {
        EmailInvitePlan::User(UserInvitePlan::Insert(row)) => {
            assert_eq!((row.invitee, row.role), (user, InviteRole::Moderator))
        }
        other => panic!("{other:?}"),
    }
    match plan(None, lookup(Some(user), false, false, false)) {
        EmailInvitePlan::User(UserInvitePlan::Insert(row)) => {
            assert_eq!(row.role, InviteRole::User)
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        plan(None, lookup(Some(creator), true, true, false)),
        EmailInvitePlan::User(UserInvitePlan::InviteeIsCreator)
    );
    // Unknown to everybody.
    assert_eq!(
        plan(None, lookup(None, false, false, false)),
        EmailInvitePlan::UnknownEmail
    );
    // Directory knows the address.
    assert_eq!(
        plan(None, lookup(None, true, false, false)),
        email(Guest, UnregisteredMail)
    );
    assert_eq!(
        plan(Some(Moderator), lookup(None, true, false, true)),
        email(Moderator, RoomCode { send_mail: false })
    );
    // External addresses allowed by the setting.
    assert_eq!(
        plan(None, lookup(None, false, true, false)),
        email(Guest, RoomCode { send_mail: true })
    );
    assert_eq!(
        plan(None, lookup(None, false, true, true)),
        email(Guest, RoomCode { send_mail: false })
    );
}

#[test]
fn email_invites_migrate_with_mapped_roles_and_original_authorship() {
    let new_user = UserId::generate();
    let check = |role: EmailInviteRole, want: InviteRole| {
        let invite = EmailInvite {
            event_id: EventId::generate(),
            email: "New@Example.com".parse::<Email>().unwrap(),
            role,
            created_by: UserId::generate(),
            created_at: now() - TimeDelta::days(3),
        };
        let row = migrate_email_invite(&invite, new_user);
        assert_eq!(
            row,
            NewEventInvite {
                event_id: invite.event_id,
                invitee: new_user,
                role: want,
                created_by: invite.created_by,
                created_at: Some(invite.created_at),
                status: Pending,
            }
        );
    };
    check(EmailInviteRole::Guest, InviteRole::User);
    check(EmailInviteRole::Moderator, InviteRole::Moderator);
}
