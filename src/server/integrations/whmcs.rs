//! WHMCS adapter (being built).
