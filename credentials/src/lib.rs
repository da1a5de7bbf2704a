//! weft's credential types: the declarative model, the compile-time registry, validation and the
//! pure logic of each authentication scheme.
