DROP TABLE user_groups;
DROP TABLE groups;
DROP TABLE users;
DROP TYPE tariff_status;
DROP TABLE external_tariffs;
DROP TABLE tariffs;
DROP TABLE tenants;
