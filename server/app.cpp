namespace probity {}
