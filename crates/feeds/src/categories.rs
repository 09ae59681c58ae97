//! Maps the terms sources use (OpenActive activity concepts, ORUK taxonomy terms, free-text
//! keywords) onto Signpost's categories. The source terms themselves are kept on the listing.
