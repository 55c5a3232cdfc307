//! Client actions: `AddClient`, `GetClientsDetails`, `UpdateClient`, `GetClients`, with the
//! documented validation messages and the documented output typing: GetClientsDetails in the
//! 8.x shape (ints for ids, strings for money, `client` plus the deprecated top-level copy,
//! `users.user` wrapper, plain `customfields` array); AddClient/UpdateClient ids and the whole
//! GetClients answer as strings (the docs' examples), with the `clients.client` wrapper.

use super::reply::Reply;
use super::request::ApiRequest;
use super::state::{CURRENCY_CODE, Client, User, WhmcsState};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use time::macros::format_description;

/// The AddClient checks, in WHMCS's order: (parameter, message when missing).
const REQUIRED: &[(&str, &str)] = &[
    ("firstname", "You did not enter your first name"),
    ("lastname", "You did not enter your last name"),
    ("email", "You did not enter your email address"),
    ("address1", "You did not enter your  address line 1"),
    ("city", "You did not enter your city"),
    ("state", "You did not enter your state"),
    ("postcode", "You did not enter your postcode"),
    ("country", "You did not enter your country"),
    ("phonenumber", "You did not enter your phone number"),
];

const EMAIL_INVALID: &str = "The email address you entered was not valid";
const EMAIL_TAKEN: &str = "The email address entered is not available for use.";
const USER_EXISTS: &str = "A user already exists with that email address";
const OWNER_INVALID: &str = "Invalid Owner User ID";
/// Not documented; WHMCS requires `password2` when no owner user is given.
const PASSWORD_MISSING: &str = "You did not enter a password";
const COUNTRY_INVALID: &str = "Valid country required";
const PHONE_INVALID: &str = "Invalid telephone phone number";
const CLIENT_NOT_FOUND: &str = "Client Not Found";
const CLIENT_ID_NOT_FOUND: &str = "Client ID Not Found";
const ID_OR_EMAIL: &str = "Either clientid Or email Is Required";
const DUPLICATE_EMAIL: &str = "Duplicate Email Address";
const UPDATE_EMAIL_INVALID: &str = "The email address entered is not valid";

fn email_ok(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(char::is_whitespace)
}

fn phone_ok(phone: &str) -> bool {
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    (5..=20).contains(&digits)
        && phone
            .chars()
            .all(|c| c.is_ascii_digit() || " +-().".contains(c))
}

fn country_ok(country: &str) -> bool {
    country.len() == 2 && country.bytes().all(|b| b.is_ascii_alphabetic())
}

fn today() -> String {
    OffsetDateTime::now_utc()
        .date()
        .format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_else(|_| "0000-00-00".into())
}

fn now() -> String {
    OffsetDateTime::now_utc()
        .format(format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second]"
        ))
        .unwrap_or_else(|_| "0000-00-00 00:00:00".into())
}

/// `AddClient`.
pub fn add_client(state: &mut WhmcsState, req: &ApiRequest) -> Reply {
    let text = |key: &str| req.get(key).unwrap_or_default().to_owned();
    if !req.flag("skipvalidation") {
        for (key, message) in REQUIRED {
            if req.get(key).is_none() {
                return Reply::error(*message);
            }
            if *key == "email" && !email_ok(&text("email")) {
                return Reply::error(EMAIL_INVALID);
            }
        }
        if !country_ok(&text("country")) {
            return Reply::error(COUNTRY_INVALID);
        }
        if !phone_ok(&text("phonenumber")) {
            return Reply::error(PHONE_INVALID);
        }
    }
    let email = text("email");
    if !email.is_empty() && state.client_by_email(&email).is_some() {
        return Reply::error(EMAIL_TAKEN);
    }
    let owner = match req.get("owner_user_id") {
        Some(_) => {
            let id = req.int("owner_user_id", 0);
            if !state.users.contains_key(&id) {
                return Reply::error(OWNER_INVALID);
            }
            Some(id)
        }
        None => None,
    };
    if owner.is_none() {
        if state.user_by_email(&email).is_some() {
            return Reply::error(USER_EXISTS);
        }
        if req.raw("password2").is_none_or(str::is_empty) {
            return Reply::error(PASSWORD_MISSING);
        }
    }
    let client_id = state.new_client_id();
    let owner_user_id = match owner {
        Some(id) => id,
        None => {
            let id = state.new_user_id();
            let mut user = User {
                id,
                firstname: text("firstname"),
                lastname: text("lastname"),
                email: email.clone(),
                password_hash: String::new(),
                two_factor: false,
                datecreated: now(),
                clients: Vec::new(),
            };
            user.set_password(req.raw("password2").unwrap_or_default());
            state.users.insert(id, user);
            id
        }
    };
    if let Some(user) = state.users.get_mut(&owner_user_id) {
        user.clients.push((client_id, true));
    }
    let client = Client {
        id: client_id,
        owner_user_id,
        firstname: text("firstname"),
        lastname: text("lastname"),
        companyname: text("companyname"),
        email,
        address1: text("address1"),
        address2: text("address2"),
        city: text("city"),
        state: text("state"),
        postcode: text("postcode"),
        country: text("country").to_ascii_uppercase(),
        phonenumber: text("phonenumber"),
        status: "Active".into(),
        currency: super::state::CURRENCY_ID,
        language: text("language").to_ascii_lowercase(),
        credit: "0.00".into(),
        datecreated: today(),
        notes: text("notes"),
        marketing_opt_in: req.flag("marketingoptin"),
        allow_sso: true,
    };
    state.clients.insert(client_id, client);
    let mut out = Map::new();
    out.insert("clientid".into(), json!(client_id.to_string()));
    Reply::success(out)
}

/// `GetClientsDetails`.
pub fn get_clients_details(state: &WhmcsState, req: &ApiRequest) -> Reply {
    let client = if req.get("clientid").is_some() {
        state.clients.get(&req.int("clientid", 0))
    } else if let Some(email) = req.get("email") {
        state.client_by_email(email)
    } else {
        return Reply::error(ID_OR_EMAIL);
    };
    let Some(client) = client else {
        return Reply::error(CLIENT_NOT_FOUND);
    };
    let rendered = render_details(state, client);
    // The client fields are also returned at the top level (deprecated).
    let mut out = rendered.clone();
    out.insert("client".into(), Value::Object(rendered));
    if req.flag("stats") {
        out.insert("stats".into(), stats());
    }
    Reply::success(out)
}

fn render_details(state: &WhmcsState, c: &Client) -> Map<String, Value> {
    let national: String = c.phonenumber.chars().filter(char::is_ascii_digit).collect();
    let national = national.strip_prefix('0').unwrap_or(&national).to_owned();
    let (phonecc, countryname) = match c.country.as_str() {
        "JP" => (81, "Japan"),
        "US" => (1, "United States"),
        "GB" => (44, "United Kingdom"),
        _ => (0, ""),
    };
    let formatted = format!("+{phonecc}.{national}");
    let users: Vec<Value> = state
        .users
        .values()
        .filter_map(|u| {
            let (_, owner) = u.clients.iter().find(|(id, _)| *id == c.id)?;
            Some(json!({
                "id": u.id,
                "name": format!("{} {}", u.firstname, u.lastname),
                "email": u.email,
                "is_owner": owner,
            }))
        })
        .collect();
    let value = json!({
        "client_id": c.id,
        "owner_user_id": c.owner_user_id,
        "userid": c.id,
        "id": c.id,
        "uuid": format!("00000000-0000-4000-8000-{:012}", c.id),
        "firstname": c.firstname,
        "lastname": c.lastname,
        "fullname": format!("{} {}", c.firstname, c.lastname),
        "companyname": c.companyname,
        "email": c.email,
        "address1": c.address1,
        "address2": c.address2,
        "city": c.city,
        "fullstate": c.state,
        "state": c.state,
        "statecode": c.state,
        "postcode": c.postcode,
        "countrycode": c.country,
        "country": c.country,
        "countryname": countryname,
        "phonecc": phonecc,
        "phonenumber": c.phonenumber,
        "phonenumberformatted": formatted,
        "telephoneNumber": formatted,
        "tax_id": "",
        "email_preferences": {
            "general": "1", "invoice": "1", "support": "1", "product": "1", "domain": "1", "affiliate": "1"
        },
        "billingcid": 0,
        "notes": c.notes,
        "currency": c.currency,
        "currency_code": CURRENCY_CODE,
        "defaultgateway": "",
        "groupid": 0,
        "status": c.status,
        "credit": c.credit,
        "taxexempt": false,
        "latefeeoveride": false,
        "overideduenotices": false,
        "separateinvoices": false,
        "disableautocc": false,
        "emailoptout": false,
        "marketing_emails_opt_in": c.marketing_opt_in,
        "isOptedInToMarketingEmails": c.marketing_opt_in,
        "overrideautoclose": false,
        "allowSingleSignOn": i32::from(c.allow_sso),
        "email_verified": false,
        "language": c.language,
        "lastlogin": "No Login Logged",
        "customfields": [],
        "users": { "user": users },
    });
    match value {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// Zero statistics (billing data arrives with the billing actions).
fn stats() -> Value {
    let zero = format!("¥0 {CURRENCY_CODE}");
    json!({
        "numdueinvoices": "0", "dueinvoicesbalance": zero, "numoverdueinvoices": "0",
        "overdueinvoicesbalance": zero, "numDraftInvoices": "0", "numunpaidinvoices": "0",
        "unpaidinvoicesamount": zero, "numpaidinvoices": "0", "paidinvoicesamount": zero,
        "productsnumactive": "0", "productsnumtotal": "0", "numactivedomains": "0",
        "numtickets": "0", "numactivetickets": "0", "incredit": "", "creditbalance": zero,
        "isAffiliate": ""
    })
}

/// `UpdateClient`: changes the fields sent (an empty value clears an optional field).
pub fn update_client(state: &mut WhmcsState, req: &ApiRequest) -> Reply {
    let id = if req.get("clientid").is_some() {
        Some(req.int("clientid", 0))
    } else {
        req.get("clientemail")
            .and_then(|email| state.client_by_email(email))
            .map(|c| c.id)
    };
    let Some(id) = id.filter(|id| state.clients.contains_key(id)) else {
        return Reply::error(CLIENT_ID_NOT_FOUND);
    };
    if let Some(email) = req.get("email") {
        if !email_ok(email) {
            return Reply::error(UPDATE_EMAIL_INVALID);
        }
        if state
            .client_by_email(email)
            .is_some_and(|other| other.id != id)
        {
            return Reply::error(DUPLICATE_EMAIL);
        }
    }
    let Some(client) = state.clients.get_mut(&id) else {
        return Reply::error(CLIENT_ID_NOT_FOUND);
    };
    let set = |field: &mut String, key: &str| {
        if req.has(key) {
            *field = req.get(key).unwrap_or_default().to_owned();
        }
    };
    // Required fields keep their value when sent empty.
    for (field, key) in [
        (&mut client.firstname, "firstname"),
        (&mut client.lastname, "lastname"),
        (&mut client.email, "email"),
        (&mut client.address1, "address1"),
        (&mut client.city, "city"),
        (&mut client.state, "state"),
        (&mut client.postcode, "postcode"),
        (&mut client.phonenumber, "phonenumber"),
    ] {
        if req.get(key).is_some() {
            set(field, key);
        }
    }
    set(&mut client.companyname, "companyname");
    set(&mut client.address2, "address2");
    set(&mut client.notes, "notes");
    if let Some(country) = req.get("country").filter(|c| country_ok(c)) {
        client.country = country.to_ascii_uppercase();
    }
    if let Some(language) = req.get("language") {
        client.language = language.to_ascii_lowercase();
    }
    if let Some(status) = req.get("status") {
        let status = status.to_ascii_lowercase();
        if let Some(s) = ["Active", "Inactive", "Closed"]
            .iter()
            .find(|s| s.to_ascii_lowercase() == status)
        {
            client.status = (*s).to_owned();
        }
    }
    if req.has("marketingoptin") {
        client.marketing_opt_in = req.flag("marketingoptin");
    }
    let mut out = Map::new();
    out.insert("clientid".into(), json!(id.to_string()));
    Reply::success(out)
}

/// Paging parameters: (offset, page size).
pub fn paging(req: &ApiRequest) -> (usize, usize) {
    let start = usize::try_from(req.int("limitstart", 0)).unwrap_or(0);
    let num = usize::try_from(req.int("limitnum", 25)).unwrap_or(25);
    (start, num)
}

/// Case-insensitive prefix match of `search` against any of `fields`; an empty search
/// matches everything.
pub fn prefix_match(search: &str, fields: &[&str]) -> bool {
    let search = search.to_lowercase();
    search.is_empty() || fields.iter().any(|f| f.to_lowercase().starts_with(&search))
}

/// `GetClients`: prefix search over email, first, last and full name and company; status
/// filter; ASC/DESC by id; paging. Every scalar is a string, as in the docs' example.
pub fn get_clients(state: &WhmcsState, req: &ApiRequest) -> Reply {
    let search = req.get("search").unwrap_or_default();
    let status = req.get("status").map(str::to_ascii_lowercase);
    let mut matches: Vec<&Client> = state
        .clients
        .values()
        .filter(|c| {
            let fullname = format!("{} {}", c.firstname, c.lastname);
            prefix_match(
                search,
                &[
                    &c.email,
                    &c.firstname,
                    &c.lastname,
                    &fullname,
                    &c.companyname,
                ],
            )
        })
        .filter(|c| {
            status
                .as_deref()
                .is_none_or(|s| c.status.to_ascii_lowercase() == s)
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
        .map(|c| {
            json!({
                "id": c.id.to_string(),
                "firstname": c.firstname,
                "lastname": c.lastname,
                "companyname": c.companyname,
                "email": c.email,
                "datecreated": c.datecreated,
                "groupid": "0",
                "status": c.status,
            })
        })
        .collect();
    let mut out = Map::new();
    out.insert("totalresults".into(), json!(matches.len().to_string()));
    out.insert("startnumber".into(), json!(start.to_string()));
    out.insert("numreturned".into(), json!(page.len().to_string()));
    out.insert("clients".into(), json!({ "client": page }));
    Reply::success(out)
}
