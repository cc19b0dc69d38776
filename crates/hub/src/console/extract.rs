//! Who is asking, as a handler takes it: a handler for admins takes an
//! [`Admin`], one that shows personal data an [`Officer`], a form handler a
//! [`Posted`] whose token was checked. A handler cannot forget a check its
//! argument's type already made; every refusal is one [`Refusal`].

use axum::extract::{Form, FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use checkpoint_i18n::Lang;
use serde::de::DeserializeOwned;

use super::session::Session;
use super::{ConsoleState, LangQuery};
use crate::accounts::{PersonalAccess, Role};

/// The answer instead of the handler's: to the sign-in page, a form expired,
/// a page not for this role, or a form no page sends.
#[derive(Debug)]
pub struct Refusal(Box<Response>);

impl From<Response> for Refusal {
    fn from(answer: Response) -> Self {
        Refusal(Box::new(answer))
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// A signed-in account: its session, the page's language and whether it
/// was just chosen (to keep in a cookie).
#[derive(Debug)]
pub struct SignedIn {
    pub session: Session,
    pub lang: Lang,
    pub set_lang: bool,
}

impl FromRequestParts<ConsoleState> for SignedIn {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &ConsoleState) -> Result<Self, Refusal> {
        let lang = Query::<LangQuery>::try_from_uri(&parts.uri)
            .ok()
            .and_then(|q| q.0.lang);
        let Some((_, session)) = super::session_of(state, &parts.headers).await else {
            return Err(super::page::see_other("/login", &[]).into());
        };
        let (lang, set_lang) = super::page::lang_of(&parts.headers, lang.as_deref());
        Ok(SignedIn {
            session,
            lang,
            set_lang,
        })
    }
}

/// An account that may see personal data (a health officer or an admin),
/// with the checkpoints it may see them at.
#[derive(Debug)]
pub struct Officer {
    pub signed_in: SignedIn,
    pub access: PersonalAccess,
}

/// An admin, with what it manages (the whole hub, or its groups only).
#[derive(Debug)]
pub struct Admin {
    pub signed_in: SignedIn,
    pub manages: crate::manages::Manages,
}

/// What an account must be to pass: [`SignedIn`] (any role), [`Officer`], [`Admin`].
pub trait Gate: Sized {
    fn admit(signed_in: SignedIn) -> Result<Self, Refusal>;
}

impl Gate for SignedIn {
    fn admit(signed_in: SignedIn) -> Result<Self, Refusal> {
        Ok(signed_in)
    }
}

impl Gate for Officer {
    fn admit(signed_in: SignedIn) -> Result<Self, Refusal> {
        match signed_in.session.personal_access() {
            Some(access) => Ok(Officer { signed_in, access }),
            None => Err(not_for_role(&signed_in)),
        }
    }
}

impl Gate for Admin {
    fn admit(signed_in: SignedIn) -> Result<Self, Refusal> {
        match signed_in.session.role {
            Role::Admin => Ok(Admin {
                manages: crate::manages::Manages::admin_of(&signed_in.session.groups),
                signed_in,
            }),
            _ => Err(not_for_role(&signed_in)),
        }
    }
}

fn not_for_role(s: &SignedIn) -> Refusal {
    super::not_for_role(s.lang, &s.session).into()
}

impl FromRequestParts<ConsoleState> for Officer {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &ConsoleState) -> Result<Self, Refusal> {
        Officer::admit(SignedIn::from_request_parts(parts, state).await?)
    }
}

impl FromRequestParts<ConsoleState> for Admin {
    type Rejection = Refusal;

    async fn from_request_parts(parts: &mut Parts, state: &ConsoleState) -> Result<Self, Refusal> {
        Admin::admit(SignedIn::from_request_parts(parts, state).await?)
    }
}

/// A form that carries the session's CSRF token (its `csrf` field, empty
/// when missing, so a form without one is refused like a wrong one).
pub trait WithCsrf {
    fn csrf(&self) -> &str;
}

/// A console form posted from the account's own page: the form read, then
/// the session found, then its token checked, then the role (`W`). The
/// answer is in the language of the browser (a form sets none).
#[derive(Debug)]
pub struct Posted<F, W = SignedIn> {
    pub who: W,
    pub form: F,
}

impl<F, W> FromRequest<ConsoleState> for Posted<F, W>
where
    F: DeserializeOwned + WithCsrf + Send,
    W: Gate,
{
    type Rejection = Refusal;

    async fn from_request(req: Request, state: &ConsoleState) -> Result<Self, Refusal> {
        let headers = req.headers().clone();
        let Form(form) = Form::<F>::from_request(req, state)
            .await
            .map_err(|e| Refusal::from(e.into_response()))?;
        let (session, lang) = super::posted(state, &headers, form.csrf())
            .await
            .map_err(Refusal::from)?;
        let who = W::admit(SignedIn {
            session,
            lang,
            set_lang: false,
        })?;
        Ok(Posted { who, form })
    }
}

/// Forms whose token is their `csrf` field.
macro_rules! with_csrf {
    ($($form:ty),* $(,)?) => {
        $(impl $crate::console::extract::WithCsrf for $form {
            fn csrf(&self) -> &str {
                &self.csrf
            }
        })*
    };
}
pub(super) use with_csrf;
