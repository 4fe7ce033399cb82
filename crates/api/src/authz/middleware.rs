//! The ACL middleware of the user / invite-code route group (rules.md
//! §11.2, api.md §3.4, §3.5, §5.9).
//!
//! **Subject.** The authentication middleware (`crate::auth`) runs first and
//! inserts a [`crate::auth::Identity`] into the request extensions; the ACL
//! uses [`Identity::casbin_subject`] (`user::<uuid>` / `invite::<uuid>`).
//! Code that authenticates differently (internal callers, tests) may insert
//! a [`Subject`] instead; an `Identity` wins when both are present.
//!
//! **Order.** Wire it inside the authentication middleware (actix runs the
//! last `.wrap` first, so `.wrap(Acl::new(authz)).wrap(from_fn(authenticate))`).
//! It answers before the handler, so unknown or foreign ids get 403.
//!
//! **Answers.** `OPTIONS` always passes. Otherwise: no subject → 401
//! `unauthorized` with `WWW-Authenticate`; denied → 403 `forbidden`; the
//! engine failed → 500 `internal_server_error`. All carry the JSON body.

use std::future::{Ready, ready};
use std::rc::Rc;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::Method;
use actix_web::{Error, HttpMessage, ResponseError};
use futures_util::future::LocalBoxFuture;

use crate::auth::Identity;
use crate::authz::Authorizer;
use crate::error::{ApiError, auth_text};

/// A casbin subject for the ACL, for requests not authenticated through
/// [`Identity`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject(pub String);

/// The middleware factory: `.wrap(Acl::new(authorizer))`.
#[derive(Clone)]
pub struct Acl {
    authorizer: Authorizer,
}

impl Acl {
    /// An ACL deciding with `authorizer`.
    pub fn new(authorizer: Authorizer) -> Self {
        Self { authorizer }
    }
}

impl<S, B> Transform<S, ServiceRequest> for Acl
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = AclService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(AclService {
            service: Rc::new(service),
            authorizer: self.authorizer.clone(),
        }))
    }
}

/// The middleware service built by [`Acl`].
pub struct AclService<S> {
    service: Rc<S>,
    authorizer: Authorizer,
}

impl<S, B> Service<ServiceRequest> for AclService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let service = self.service.clone();
        let authorizer = self.authorizer.clone();
        Box::pin(async move {
            match check(&authorizer, &req).await {
                Ok(()) => service
                    .call(req)
                    .await
                    .map(ServiceResponse::map_into_left_body),
                // Answer here rather than returning Err, so outer middleware
                // (request id, metrics) still sees a normal response.
                Err(err) => Ok(req
                    .into_response(err.error_response())
                    .map_into_right_body()),
            }
        })
    }
}

/// The request's casbin subject, from [`Identity`] or [`Subject`].
pub fn request_subject(req: &ServiceRequest) -> Option<String> {
    let extensions = req.extensions();
    extensions
        .get::<Identity>()
        .map(Identity::casbin_subject)
        .or_else(|| extensions.get::<Subject>().map(|s| s.0.clone()))
}

async fn check(authorizer: &Authorizer, req: &ServiceRequest) -> Result<(), ApiError> {
    if req.method() == Method::OPTIONS {
        return Ok(());
    }
    let subject = request_subject(req).ok_or_else(|| {
        ApiError::unauthorized(
            "unauthorized",
            "Authentication failed",
            auth_text::INVALID_ACCESS_TOKEN,
        )
    })?;
    match authorizer
        .check_request(&subject, req.path(), req.method().as_str())
        .await
    {
        Ok(true) => Ok(()),
        Ok(false) => Err(ApiError::forbidden()),
        Err(err) => Err(ApiError::internal(err)),
    }
}
