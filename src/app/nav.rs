//! The product's areas and where they live. Navigation shows only the areas that are built;
//! each feature issue flips its area on when its pages exist (no placeholder pages).

/// An area of the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AreaKey {
    /// Overview.
    Dashboard,
    /// Order history and live provisioning.
    Orders,
    /// Plans and options to order.
    Catalog,
    /// Invoices and payment methods.
    Billing,
    /// Subscriptions.
    Services,
    /// Mobile lines.
    Sims,
    /// Support cases.
    Support,
    /// Profile and security.
    Account,
}

/// An area's entry in the navigation.
#[derive(Debug, Clone, Copy)]
pub struct Area {
    /// Which area.
    pub key: AreaKey,
    /// Its root URL.
    pub href: &'static str,
    /// Whether its pages exist yet.
    pub available: bool,
}

/// Every area, in menu order.
pub const AREAS: [Area; 8] = [
    Area {
        key: AreaKey::Dashboard,
        href: "/",
        available: true,
    },
    Area {
        key: AreaKey::Orders,
        href: "/orders",
        available: true,
    },
    Area {
        key: AreaKey::Catalog,
        href: "/catalog",
        available: true,
    },
    Area {
        key: AreaKey::Billing,
        href: "/billing/invoices",
        available: true,
    },
    Area {
        key: AreaKey::Services,
        href: "/services",
        available: true,
    },
    Area {
        key: AreaKey::Sims,
        href: "/sims",
        available: true,
    },
    Area {
        key: AreaKey::Support,
        href: "/support",
        available: true,
    },
    Area {
        key: AreaKey::Account,
        href: "/account",
        available: true,
    },
];

/// The areas to show in the menu.
pub fn visible_areas() -> impl Iterator<Item = &'static Area> {
    AREAS.iter().filter(|a| a.available)
}

/// Whether `path` belongs to the area whose entry links to `href` (for `aria-current`). An
/// area owns everything under the first segment of its link: Billing links to
/// `/billing/invoices` but `/billing/payment-methods` is Billing too.
pub fn is_current(href: &str, path: &str) -> bool {
    if href == "/" {
        return path == "/";
    }
    let root = href
        .split('/')
        .find(|segment| !segment.is_empty())
        .map_or_else(|| href.to_owned(), |segment| format!("/{segment}"));
    path == root || path.starts_with(&format!("{root}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_area_matching() {
        assert!(is_current("/", "/"));
        assert!(!is_current("/", "/orders"));
        assert!(is_current("/orders", "/orders/801"));
        assert!(!is_current("/orders", "/ordersx"));
        assert!(is_current("/billing/invoices", "/billing/payment-methods"));
        assert!(is_current("/billing/invoices", "/billing/invoices/2013"));
        assert!(!is_current("/billing/invoices", "/billingx"));
        assert!(is_current("/services", "/services/101"));
    }

    #[test]
    fn every_area_has_a_distinct_root() {
        let mut hrefs: Vec<_> = AREAS.iter().map(|a| a.href).collect();
        hrefs.dedup();
        assert_eq!(hrefs.len(), AREAS.len());
    }
}
