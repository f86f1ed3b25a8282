from django.shortcuts import render

from workflow.models import Category


def home(request):
    return render(
        request,
        "feedback/home.html",
        {"categories": Category.objects.filter(is_active=True)},
    )
