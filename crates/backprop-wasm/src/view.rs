//! Read-only accessors the playground page needs to draw the network.
