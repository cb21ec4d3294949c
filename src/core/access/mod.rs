//! Who may use the deployer's proxy, as the app sees it: the access code a
//! person enters, and what the proxy's refusals (no access, a budget
//! reached, its state store down) mean and say.

pub mod access_code;
pub mod refusal;
