DROP TABLE room_assets;
DROP TABLE assets;
