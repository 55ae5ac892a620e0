from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "offlabel.web.reviews"
    label = "reviews"
