//! User actions (WHMCS 8.x user model): `ValidateLogin` (string-typed answer, as documented)
//! and `GetUsers` (ints, plain arrays without wrappers, as documented).

use super::clients::{paging, prefix_match};
use super::reply::Reply;
use super::request::ApiRequest;
use super::state::WhmcsState;
use serde_json::{Map, Value, json};

const LOGIN_INVALID: &str = "Email or Password Invalid";

/// `ValidateLogin`: `userid` is the **user** id; `passwordhash` only without 2FA.
pub fn validate_login(state: &WhmcsState, req: &ApiRequest) -> Reply {
    let (Some(email), Some(password)) = (req.get("email"), req.raw("password2")) else {
        return Reply::error(LOGIN_INVALID);
    };
    let Some(user) = state
        .user_by_email(email)
        .filter(|u| u.password_matches(password))
    else {
        return Reply::error(LOGIN_INVALID);
    };
    let mut out = Map::new();
    out.insert("userid".into(), json!(user.id.to_string()));
    if !user.two_factor {
        out.insert("passwordhash".into(), json!(user.session_token()));
    }
    out.insert(
        "twoFactorEnabled".into(),
        json!(if user.two_factor { "true" } else { "false" }),
    );
    Reply::success(out)
}

/// `GetUsers`: prefix search over email, first, last and full name; paging.
pub fn get_users(state: &WhmcsState, req: &ApiRequest) -> Reply {
    let search = req.get("search").unwrap_or_default();
    let mut matches: Vec<_> = state
        .users
        .values()
        .filter(|u| {
            let fullname = format!("{} {}", u.firstname, u.lastname);
            prefix_match(search, &[&u.email, &u.firstname, &u.lastname, &fullname])
        })
        .collect();
    if req
        .get("sorting")
        .is_some_and(|s| s.eq_ignore_ascii_case("desc"))
    {
        matches.reverse();
    }
    let (start, num) = paging(req);
    let page: Vec<Value> = matches
        .iter()
        .skip(start)
        .take(num)
        .map(|u| {
            let clients: Vec<Value> = u
                .clients
                .iter()
                .map(|(id, owner)| json!({ "id": id, "isOwner": owner }))
                .collect();
            json!({
                "id": u.id,
                "firstname": u.firstname,
                "lastname": u.lastname,
                "email": u.email,
                "datecreated": u.datecreated,
                "validationdata": "",
                "clients": clients,
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert("totalresults".into(), json!(matches.len()));
    out.insert("startnumber".into(), json!(start));
    out.insert("numreturned".into(), json!(page.len()));
    out.insert("users".into(), Value::Array(page));
    Reply::success(out)
}
