//! casbin-rs's model of rules.md §11.1, used as the reference the native
//! engine is tested and benchmarked against (stack.md §6.4).
//!
//! `objMatch` and `actMatch` are registered as custom functions that call
//! the domain matcher, so the oracle checks everything around it: role
//! inheritance through `g`, the "any allow" effect, the `OPTIONS` rule and
//! the engine's loading and caching.

use casbin::function_map::{OperatorFunction, dynamic_to_str};
use casbin::rhai::Dynamic;
use casbin::{Adapter, CoreApi, DefaultModel, Enforcer};
use conclave_domain::access::{action_matches, object_matches};

/// The casbin model text: request, policy and role definitions, the "any
/// allow" effect and the matcher of rules.md §11.1.
pub const MODEL_CONF: &str = r#"
[request_definition]
r = sub, obj, act

[policy_definition]
p = sub, obj, act

[role_definition]
g = _, _

[policy_effect]
e = some(where (p.eft == allow))

[matchers]
m = r.act == "OPTIONS" || g(r.sub, p.sub) && objMatch(r.obj, p.obj) && actMatch(r.act, p.act)
"#;

fn obj_match(request: Dynamic, policy: Dynamic) -> Dynamic {
    object_matches(&dynamic_to_str(&policy), &dynamic_to_str(&request)).into()
}

fn act_match(request: Dynamic, policy: Dynamic) -> Dynamic {
    action_matches(&dynamic_to_str(&policy), &dynamic_to_str(&request)).into()
}

/// An enforcer with [`MODEL_CONF`] and the custom functions over `adapter`
/// (its rules are loaded now).
pub async fn reference_enforcer<A: Adapter + 'static>(adapter: A) -> casbin::Result<Enforcer> {
    let model = DefaultModel::from_str(MODEL_CONF).await?;
    let mut enforcer = Enforcer::new(model, adapter).await?;
    enforcer.add_function("objMatch", OperatorFunction::Arg2(obj_match));
    enforcer.add_function("actMatch", OperatorFunction::Arg2(act_match));
    Ok(enforcer)
}

#[cfg(test)]
mod tests {
    use casbin::{MemoryAdapter, MgmtApi, RbacApi};

    use super::*;

    fn rule(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| v.to_string()).collect()
    }

    #[tokio::test]
    async fn the_model_follows_rules_11_1() {
        let mut e = reference_enforcer(MemoryAdapter::default()).await.unwrap();
        e.add_policy(rule(&["role::user", "/rooms", "POST|GET"]))
            .await
            .unwrap();
        e.add_policy(rule(&["user::a", "/rooms/*/start", "POST"]))
            .await
            .unwrap();
        e.add_role_for_user("user::b", "role::user", None)
            .await
            .unwrap();
        let check = |sub: &str, obj: &str, act: &str, want: bool| {
            assert_eq!(
                e.enforce((sub, obj, act)).unwrap(),
                want,
                "{sub} {act} {obj}"
            );
        };
        check("user::b", "/rooms", "GET", true);
        check("user::b", "/rooms", "PATCH", false);
        check("user::a", "/rooms", "GET", false);
        check("user::a", "/rooms/1/start", "POST", true);
        check("user::a", "/rooms/1", "POST", false);
        check("nobody", "/anything", "OPTIONS", true);
    }
}
