"""RDF in and out: serialisers, exports and bulk loads into stores."""
