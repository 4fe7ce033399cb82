//! Access rules as data: the casbin policies each action grants or revokes, and the matcher.
