//! Page-based and cursor-based pagination (api.md §4).

use actix_web::HttpRequest;
use serde::Deserialize;

use crate::error::ApiError;

/// Default page size of every list.
pub const DEFAULT_PER_PAGE: i64 = 30;
/// Largest page size.
pub const MAX_PER_PAGE: i64 = 100;

/// `?per_page=&page=` of page-based lists; out-of-range values are refused.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct PageQuery {
    /// Items per page, 1..=100 (default 30).
    pub per_page: Option<i64>,
    /// 1-based page (default 1).
    pub page: Option<i64>,
}

impl PageQuery {
    /// Validates the parameters (400 on out-of-range values).
    pub fn request(&self) -> Result<conclave_db::paging::PageRequest, ApiError> {
        let per_page = self.per_page.unwrap_or(DEFAULT_PER_PAGE);
        let page = self.page.unwrap_or(1);
        if !(1..=MAX_PER_PAGE).contains(&per_page) {
            return Err(ApiError::bad_request(format!(
                "per_page must be between 1 and {MAX_PER_PAGE}"
            )));
        }
        if page < 1 {
            return Err(ApiError::bad_request("page must be at least 1"));
        }
        Ok(conclave_db::paging::PageRequest::new(page, per_page))
    }
}

/// `?per_page=&after=` of cursor-based lists; `per_page` is clamped, not refused.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CursorQuery {
    /// Items per page, clamped into 1..=100 (default 30).
    pub per_page: Option<i64>,
    /// The opaque cursor of the previous page.
    pub after: Option<String>,
}

impl CursorQuery {
    /// The clamped page size.
    pub fn per_page(&self) -> i64 {
        self.per_page
            .unwrap_or(DEFAULT_PER_PAGE)
            .clamp(1, MAX_PER_PAGE)
    }
}

/// The `Link` header value of a page-based list: first/prev unless on page 1,
/// next/last unless on the last page; empty when no relation applies.
pub fn page_links(req: &HttpRequest, page: i64, per_page: i64, total: i64) -> String {
    let last = ((total + per_page - 1) / per_page).max(1);
    let url = |n: i64| with_query_param(req, "page", &n.to_string());
    let mut links = Vec::new();
    if page > 1 {
        links.push(format!("<{}>; rel=\"first\"", url(1)));
        links.push(format!("<{}>; rel=\"prev\"", url((page - 1).min(last))));
    }
    if page < last {
        links.push(format!("<{}>; rel=\"next\"", url(page + 1)));
        links.push(format!("<{}>; rel=\"last\"", url(last)));
    }
    links.join(",")
}

/// The `Link` header value of a cursor-based list page.
pub fn after_link(req: &HttpRequest, cursor: &str) -> String {
    format!(
        "<{}>; rel=\"after\"",
        with_query_param(req, "after", cursor)
    )
}

/// The absolute request URL with `name` removed from the query and
/// `name=value` appended last, honouring `Forwarded`/`X-Forwarded-*`.
fn with_query_param(req: &HttpRequest, name: &str, value: &str) -> String {
    let info = req.connection_info();
    let mut pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    pairs.retain(|(key, _)| key != name);
    pairs.push((name.to_owned(), value.to_owned()));
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    format!(
        "{}://{}{}?{}",
        info.scheme(),
        info.host(),
        req.path(),
        query
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn links(uri: &str, page: i64, per_page: i64, total: i64) -> String {
        let req = TestRequest::get()
            .uri(uri)
            .insert_header(("host", "example.com"))
            .to_http_request();
        page_links(&req, page, per_page, total)
    }

    #[test]
    fn page_links_follow_the_contract() {
        let cases = [
            // (page, per_page, total, expected relations)
            (1, 30, 0, ""),
            (1, 30, 30, ""),
            (
                1,
                10,
                25,
                "<http://example.com/v1/rooms?per_page=10&page=2>; rel=\"next\",<http://example.com/v1/rooms?per_page=10&page=3>; rel=\"last\"",
            ),
            (
                3,
                10,
                25,
                "<http://example.com/v1/rooms?per_page=10&page=1>; rel=\"first\",<http://example.com/v1/rooms?per_page=10&page=2>; rel=\"prev\"",
            ),
        ];
        for (page, per_page, total, expected) in cases {
            let uri = format!("/v1/rooms?per_page={per_page}&page={page}");
            assert_eq!(links(&uri, page, per_page, total), expected, "page {page}");
        }
    }

    #[test]
    fn page_query_refuses_out_of_range_values() {
        let check = |per_page, page| PageQuery { per_page, page }.request().is_ok();
        assert!(check(None, None));
        assert!(check(Some(100), Some(1)));
        assert!(!check(Some(0), None));
        assert!(!check(Some(101), None));
        assert!(!check(None, Some(0)));
    }

    #[test]
    fn cursor_query_clamps() {
        let q = |per_page| {
            CursorQuery {
                per_page,
                after: None,
            }
            .per_page()
        };
        assert_eq!(
            (q(None), q(Some(0)), q(Some(500)), q(Some(7))),
            (30, 1, 100, 7)
        );
    }

    #[test]
    fn after_link_replaces_an_existing_cursor() {
        let req = TestRequest::get()
            .uri("/v1/events?after=old&per_page=5")
            .insert_header(("host", "h"))
            .to_http_request();
        assert_eq!(
            after_link(&req, "new"),
            "<http://h/v1/events?per_page=5&after=new>; rel=\"after\""
        );
    }
}
