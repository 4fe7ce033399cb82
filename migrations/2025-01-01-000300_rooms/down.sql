DROP TABLE module_resources;
DROP TABLE room_streaming_targets;
DROP TYPE streaming_kind;
DROP TABLE sip_configs;
DROP TABLE invites;
DROP TABLE rooms;
