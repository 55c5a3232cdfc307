//! The simulated org's objects and fields, as data: the SOQL engine, the REST handlers and the
//! seed all read this table, so adding an object (Product2, Order… in later issues) is a
//! matter of describing it here.

use serde_json::{Map, Value};

/// A record: canonical field name → JSON value (text, number, bool, `YYYY-MM-DD`,
/// `…T…000+0000`, 18-character ids, or null).
pub type Record = Map<String, Value>;

/// A field's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldType {
    /// The record's own id.
    Id,
    /// A lookup to another object's id.
    Reference {
        /// Target object.
        to: &'static str,
        /// Relationship name used in paths (`Account` for `AccountId`).
        relationship: &'static str,
    },
    /// Text with a maximum length.
    Text(usize),
    /// Multi-line text.
    TextArea(usize),
    /// Email address (80).
    Email,
    /// Phone (40).
    Phone,
    /// Picklist with its values.
    Picklist(&'static [&'static str]),
    /// true/false.
    Boolean,
    /// A number (`Number(18,0)` and friends come back as `1001.0`).
    Double,
    /// Money.
    Currency,
    /// `YYYY-MM-DD`.
    Date,
    /// `YYYY-MM-DDThh:mm:ss.SSS+0000`.
    DateTime,
}

impl FieldType {
    /// The SOQL filter type name used in error messages.
    pub fn soql_name(self) -> &'static str {
        match self {
            FieldType::Id | FieldType::Reference { .. } => "id",
            FieldType::Text(_)
            | FieldType::TextArea(_)
            | FieldType::Email
            | FieldType::Phone
            | FieldType::Picklist(_) => "string",
            FieldType::Boolean => "boolean",
            FieldType::Double => "double",
            FieldType::Currency => "currency",
            FieldType::Date => "date",
            FieldType::DateTime => "datetime",
        }
    }

    /// Compared as case-insensitive text.
    pub fn is_text(self) -> bool {
        matches!(
            self,
            FieldType::Text(_)
                | FieldType::TextArea(_)
                | FieldType::Email
                | FieldType::Phone
                | FieldType::Picklist(_)
        )
    }
}

/// A field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDef {
    /// API name.
    pub name: &'static str,
    /// Label (used in error messages).
    pub label: &'static str,
    /// Type.
    pub ty: FieldType,
    /// Must have a value on create and cannot be cleared.
    pub required: bool,
    /// Accepted on create.
    pub createable: bool,
    /// Accepted on update.
    pub updateable: bool,
    /// No two records share a (case-insensitive) value.
    pub unique: bool,
}

impl FieldDef {
    pub(super) fn new(name: &'static str, label: &'static str, ty: FieldType) -> Self {
        FieldDef {
            name,
            label,
            ty,
            required: false,
            createable: true,
            updateable: true,
            unique: false,
        }
    }
    pub(super) fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub(super) fn read_only(mut self) -> Self {
        self.createable = false;
        self.updateable = false;
        self
    }
    pub(super) fn create_only(mut self) -> Self {
        self.updateable = false;
        self
    }
    pub(super) fn unique(mut self) -> Self {
        self.unique = true;
        self
    }
}

/// A child relationship (`Contacts` on Account = Contact.AccountId).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildRelationship {
    /// Name used in subqueries.
    pub name: &'static str,
    /// Child object.
    pub object: &'static str,
    /// The child's reference field.
    pub field: &'static str,
}

/// An object.
#[derive(Debug, Clone)]
pub struct ObjectDef {
    /// API name.
    pub name: &'static str,
    /// Id key prefix.
    pub key_prefix: &'static str,
    /// Fields, system fields first.
    pub fields: Vec<FieldDef>,
    /// Child relationships.
    pub children: Vec<ChildRelationship>,
    /// Recomputes derived fields (formula/compound) after a write.
    pub derive: Option<fn(&mut Record)>,
}

impl ObjectDef {
    pub(super) fn new(name: &'static str, key_prefix: &'static str, own: Vec<FieldDef>) -> Self {
        let mut fields = vec![
            FieldDef::new("Id", "Record ID", FieldType::Id).read_only(),
            FieldDef::new("IsDeleted", "Deleted", FieldType::Boolean).read_only(),
            FieldDef::new("CreatedDate", "Created Date", FieldType::DateTime).read_only(),
            FieldDef::new(
                "LastModifiedDate",
                "Last Modified Date",
                FieldType::DateTime,
            )
            .read_only(),
            FieldDef::new("SystemModstamp", "System Modstamp", FieldType::DateTime).read_only(),
        ];
        fields.extend(own);
        ObjectDef {
            name,
            key_prefix,
            fields,
            children: Vec::new(),
            derive: None,
        }
    }

    /// A field by name (case-insensitive, like SOQL and the REST API).
    pub fn field(&self, name: &str) -> Option<&FieldDef> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }

    /// The reference field whose relationship has this name (`Account` → `AccountId`).
    pub fn relationship(&self, name: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| {
            matches!(f.ty, FieldType::Reference { relationship, .. } if relationship.eq_ignore_ascii_case(name))
        })
    }

    /// A child relationship by name.
    pub fn child(&self, name: &str) -> Option<&ChildRelationship> {
        self.children
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name))
    }
}

/// The whole org.
#[derive(Debug, Clone)]
pub struct Schema {
    /// Objects.
    pub objects: Vec<ObjectDef>,
}

/// Name of the Account field holding the WHMCS client id in the simulated org (the portal's
/// default `salesforce.whmcs_client_id_field`).
pub const WHMCS_CLIENT_ID_FIELD: &str = "WHMCS_Client_Id__c";

fn contact_name(record: &mut Record) {
    let part = |r: &Record, f: &str| {
        r.get(f)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_owned()
    };
    let name = format!("{} {}", part(record, "FirstName"), part(record, "LastName"));
    record.insert("Name".into(), Value::String(name.trim().to_owned()));
}

impl Schema {
    /// Account and Contact with the fields the portal uses.
    pub fn standard() -> Self {
        use FieldType::*;
        let mut account = ObjectDef::new(
            "Account",
            "001",
            vec![
                FieldDef::new("Name", "Account Name", Text(255)).required(),
                FieldDef::new("Phone", "Account Phone", Phone),
                FieldDef::new("BillingStreet", "Billing Street", TextArea(255)),
                FieldDef::new("BillingCity", "Billing City", Text(40)),
                FieldDef::new("BillingState", "Billing State/Province", Text(80)),
                FieldDef::new("BillingPostalCode", "Billing Zip/Postal Code", Text(20)),
                FieldDef::new("BillingCountry", "Billing Country", Text(80)),
                FieldDef::new("Description", "Account Description", TextArea(32000)),
                FieldDef::new("AnnualRevenue", "Annual Revenue", Currency),
                FieldDef::new("NumberOfEmployees", "Employees", Double),
                FieldDef::new(
                    "Type",
                    "Account Type",
                    Picklist(&[
                        "Customer - Direct",
                        "Customer - Channel",
                        "Prospect",
                        "Other",
                    ]),
                ),
                FieldDef::new(WHMCS_CLIENT_ID_FIELD, "WHMCS Client Id", Text(20)).unique(),
            ],
        );
        account.children.push(ChildRelationship {
            name: "Contacts",
            object: "Contact",
            field: "AccountId",
        });
        let mut contact = ObjectDef::new(
            "Contact",
            "003",
            vec![
                FieldDef::new(
                    "AccountId",
                    "Account ID",
                    Reference {
                        to: "Account",
                        relationship: "Account",
                    },
                ),
                FieldDef::new("FirstName", "First Name", Text(40)),
                FieldDef::new("LastName", "Last Name", Text(80)).required(),
                FieldDef::new("Name", "Full Name", Text(121)).read_only(),
                FieldDef::new("LastNameKana__c", "Last Name Kana", Text(80)),
                FieldDef::new("FirstNameKana__c", "First Name Kana", Text(40)),
                FieldDef::new("Email", "Email", Email),
                FieldDef::new("Phone", "Business Phone", Phone),
                FieldDef::new("MobilePhone", "Mobile Phone", Phone),
                FieldDef::new("MailingStreet", "Mailing Street", TextArea(255)),
                FieldDef::new("MailingCity", "Mailing City", Text(40)),
                FieldDef::new("MailingState", "Mailing State/Province", Text(80)),
                FieldDef::new("MailingPostalCode", "Mailing Zip/Postal Code", Text(20)),
                FieldDef::new("MailingCountry", "Mailing Country", Text(80)),
                FieldDef::new("Birthdate", "Birthdate", Date),
                FieldDef::new("HasOptedOutOfEmail", "Email Opt Out", Boolean),
                FieldDef::new("Legacy_Id__c", "Legacy Id", Text(40)).create_only(),
            ],
        );
        contact.derive = Some(contact_name);
        account.children.push(ChildRelationship {
            name: "Orders",
            object: "Order",
            field: "AccountId",
        });
        account.children.push(ChildRelationship {
            name: "Cases",
            object: "Case",
            field: "AccountId",
        });
        let mut objects = vec![account, contact];
        objects.extend(catalog_objects());
        objects.extend(super::cases::case_objects());
        Schema { objects }
    }

    /// An object by name (case-insensitive).
    pub fn object(&self, name: &str) -> Option<&ObjectDef> {
        self.objects
            .iter()
            .find(|o| o.name.eq_ignore_ascii_case(name))
    }
}

/// Product2 custom fields of the simulated org (the portal's defaults).
pub mod product_fields {
    /// Shown in the portal (Checkbox).
    pub const PORTAL_CATALOG: &str = "Portal_Catalog__c";
    /// English name.
    pub const NAME_EN: &str = "Name_En__c";
    /// WHMCS product id.
    pub const WHMCS_PRODUCT_ID: &str = "WHMCS_Product_Id__c";
    /// Billing cycle.
    pub const BILLING_CYCLE: &str = "Billing_Cycle__c";
    /// Service / Activation / Option.
    pub const ITEM_CLASS: &str = "Item_Class__c";
    /// WHMCS configuration options as JSON.
    pub const CONFIG_OPTIONS: &str = "Portal_ConfigOptions_JSON__c";
    /// MVNO plan code.
    pub const FREEBIT_PLAN_CODE: &str = "Freebit_Plan_Code__c";
    /// Lookup to the activation product a plan needs.
    pub const ACTIVATION_PRODUCT: &str = "Activation_Product__c";
}

/// Order custom fields of the simulated org (the portal's defaults).
pub mod order_fields {
    /// The portal's idempotency key (Text, External ID, Unique).
    pub const IDEMPOTENCY_KEY: &str = "Portal_Idempotency_Key__c";
    /// Provisioning status (picklist).
    pub const PROVISIONING_STATUS: &str = "Provisioning_Status__c";
    /// WHMCS order id once provisioned.
    pub const WHMCS_ORDER_ID: &str = "WHMCS_Order_Id__c";
    /// Provisioning error text.
    pub const PROVISIONING_ERROR: &str = "Provisioning_Error__c";
    /// When provisioning finished.
    pub const PROVISIONED_AT: &str = "Provisioned_At__c";
}

/// Product2, Pricebook2, PricebookEntry, Order and OrderItem.
fn catalog_objects() -> Vec<ObjectDef> {
    use FieldType::*;
    let product_ref = |label| {
        FieldDef::new(
            "Product2Id",
            label,
            Reference {
                to: "Product2",
                relationship: "Product2",
            },
        )
    };
    let mut product = ObjectDef::new(
        "Product2",
        "01t",
        vec![
            FieldDef::new("Name", "Product Name", Text(255)).required(),
            FieldDef::new("ProductCode", "Product Code", Text(255)),
            FieldDef::new("StockKeepingUnit", "Product SKU", Text(180)),
            FieldDef::new("Description", "Product Description", TextArea(4000)),
            FieldDef::new(
                "Family",
                "Product Family",
                Picklist(&["Fibre", "SIM", "Option"]),
            ),
            FieldDef::new("IsActive", "Active", Boolean),
            FieldDef::new(product_fields::PORTAL_CATALOG, "Portal Catalog", Boolean),
            FieldDef::new(product_fields::NAME_EN, "Name (English)", Text(255)),
            FieldDef::new(
                product_fields::WHMCS_PRODUCT_ID,
                "WHMCS Product Id",
                Text(20),
            ),
            FieldDef::new(
                product_fields::BILLING_CYCLE,
                "Billing Cycle",
                Picklist(&["Monthly", "Annually", "Onetime"]),
            ),
            FieldDef::new(
                product_fields::ITEM_CLASS,
                "Item Class",
                Picklist(&["Service", "Activation", "Option"]),
            ),
            FieldDef::new(
                product_fields::CONFIG_OPTIONS,
                "Portal Config Options JSON",
                TextArea(32768),
            ),
            FieldDef::new(
                product_fields::FREEBIT_PLAN_CODE,
                "Freebit Plan Code",
                Text(40),
            ),
            FieldDef::new(
                product_fields::ACTIVATION_PRODUCT,
                "Activation Product",
                Reference {
                    to: "Product2",
                    relationship: "Activation_Product__r",
                },
            ),
        ],
    );
    product.children.push(ChildRelationship {
        name: "PricebookEntries",
        object: "PricebookEntry",
        field: "Product2Id",
    });
    let mut pricebook = ObjectDef::new(
        "Pricebook2",
        "01s",
        vec![
            FieldDef::new("Name", "Price Book Name", Text(255)).required(),
            FieldDef::new("Description", "Description", Text(255)),
            FieldDef::new("IsActive", "Active", Boolean),
            FieldDef::new("IsStandard", "Is Standard Price Book", Boolean).read_only(),
        ],
    );
    pricebook.children.push(ChildRelationship {
        name: "PricebookEntries",
        object: "PricebookEntry",
        field: "Pricebook2Id",
    });
    let entry = ObjectDef::new(
        "PricebookEntry",
        "01u",
        vec![
            FieldDef::new(
                "Pricebook2Id",
                "Price Book ID",
                Reference {
                    to: "Pricebook2",
                    relationship: "Pricebook2",
                },
            )
            .required()
            .create_only(),
            product_ref("Product ID").required().create_only(),
            FieldDef::new("Name", "Product Name", Text(255)).read_only(),
            FieldDef::new("ProductCode", "Product Code", Text(255)).read_only(),
            FieldDef::new("UnitPrice", "List Price", Currency).required(),
            FieldDef::new("IsActive", "Active", Boolean),
            FieldDef::new("UseStandardPrice", "Use Standard Price", Boolean),
        ],
    );
    let mut order = ObjectDef::new(
        "Order",
        "801",
        vec![
            FieldDef::new(
                "AccountId",
                "Account ID",
                Reference {
                    to: "Account",
                    relationship: "Account",
                },
            )
            .required(),
            FieldDef::new(
                "Pricebook2Id",
                "Price Book ID",
                Reference {
                    to: "Pricebook2",
                    relationship: "Pricebook2",
                },
            ),
            FieldDef::new("EffectiveDate", "Order Start Date", Date).required(),
            FieldDef::new("EndDate", "Order End Date", Date),
            FieldDef::new(
                "Status",
                "Status",
                Picklist(&["Draft", "Activated", "Cancelled"]),
            )
            .required(),
            FieldDef::new("StatusCode", "Status Category", Text(40)).read_only(),
            FieldDef::new("OrderNumber", "Order Number", Text(30)).read_only(),
            FieldDef::new("TotalAmount", "Order Amount", Currency).read_only(),
            FieldDef::new("ActivatedDate", "Activated Date", DateTime).read_only(),
            FieldDef::new("Type", "Order Type", Picklist(&["New", "Change", "Cancel"])),
            FieldDef::new("Name", "Order Name", Text(80)),
            FieldDef::new("Description", "Description", TextArea(32000)),
            FieldDef::new(
                order_fields::IDEMPOTENCY_KEY,
                "Portal Idempotency Key",
                Text(80),
            )
            .unique()
            .create_only(),
            FieldDef::new(
                order_fields::PROVISIONING_STATUS,
                "Provisioning Status",
                Picklist(&[
                    "Not Started",
                    "Queued",
                    "In Progress",
                    "Provisioned",
                    "Failed",
                ]),
            ),
            FieldDef::new(order_fields::WHMCS_ORDER_ID, "WHMCS Order Id", Text(20)),
            FieldDef::new(
                order_fields::PROVISIONING_ERROR,
                "Provisioning Error",
                TextArea(2000),
            ),
            FieldDef::new(order_fields::PROVISIONED_AT, "Provisioned At", DateTime),
        ],
    );
    order.children.push(ChildRelationship {
        name: "OrderItems",
        object: "OrderItem",
        field: "OrderId",
    });
    let item = ObjectDef::new(
        "OrderItem",
        "802",
        vec![
            FieldDef::new(
                "OrderId",
                "Order ID",
                Reference {
                    to: "Order",
                    relationship: "Order",
                },
            )
            .required()
            .create_only(),
            FieldDef::new(
                "PricebookEntryId",
                "Price Book Entry ID",
                Reference {
                    to: "PricebookEntry",
                    relationship: "PricebookEntry",
                },
            )
            .required()
            .create_only(),
            product_ref("Product ID").read_only(),
            FieldDef::new("Quantity", "Quantity", Double).required(),
            FieldDef::new("UnitPrice", "Unit Price", Currency).required(),
            FieldDef::new("ListPrice", "List Price", Currency).read_only(),
            FieldDef::new("TotalPrice", "Total Price", Currency).read_only(),
            FieldDef::new("OrderItemNumber", "Order Product Number", Text(30)).read_only(),
            FieldDef::new("ServiceDate", "Start Date", Date),
            FieldDef::new("Description", "Line Description", Text(255)),
        ],
    );
    vec![product, pricebook, entry, order, item]
}
