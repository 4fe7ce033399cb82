//! Page-based paging shared by the `list_*` queries.

/// Which page of a list to return. Pages are 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    /// The 1-based page number.
    pub page: i64,
    /// Items per page (already clamped by the caller).
    pub per_page: i64,
}

impl PageRequest {
    /// A request for `page` with `per_page` items, clamping both to at least 1.
    pub fn new(page: i64, per_page: i64) -> Self {
        Self {
            page: page.max(1),
            per_page: per_page.max(1),
        }
    }

    /// The SQL `OFFSET` of this page.
    pub fn offset(&self) -> i64 {
        (self.page - 1).saturating_mul(self.per_page)
    }

    /// The SQL `LIMIT` of this page.
    pub fn limit(&self) -> i64 {
        self.per_page
    }
}

/// One page of a list plus the total number of matching rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// How many rows match in total, across all pages.
    pub total: i64,
}

#[cfg(test)]
mod tests {
    use super::PageRequest;

    #[test]
    fn offsets_are_one_based_and_clamped() {
        for (page, per_page, offset, limit) in
            [(1, 10, 0, 10), (3, 10, 20, 10), (0, 0, 0, 1), (-5, 7, 0, 7)]
        {
            let request = PageRequest::new(page, per_page);
            assert_eq!(
                (request.offset(), request.limit()),
                (offset, limit),
                "{page}/{per_page}"
            );
        }
    }
}
